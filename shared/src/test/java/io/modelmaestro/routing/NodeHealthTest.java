package io.modelmaestro.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeHealthTest {

    private static final Duration COOLDOWN = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final NodeHealth health = new NodeHealth(clock, COOLDOWN);

    @Test
    void newNode_isNotCoolingDown() {
        assertThat(health.isCoolingDown(1)).isFalse();
        assertThat(health.coolingUntil(1)).isEqualTo(Instant.MIN);
    }

    @Test
    void recordFailure_startsCooldownForTheConfiguredDuration() {
        Instant failedAt = clock.instant();
        health.recordFailure(1);
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.coolingUntil(1)).isEqualTo(failedAt.plus(COOLDOWN));
    }

    static Stream<Arguments> elapsed() {
        return Stream.of(
                Arguments.of(Duration.ZERO, true),
                Arguments.of(Duration.ofSeconds(1), true),
                Arguments.of(COOLDOWN.minusMillis(1), true),
                Arguments.of(COOLDOWN, false),
                Arguments.of(COOLDOWN.plusMillis(1), false),
                Arguments.of(Duration.ofHours(1), false));
    }

    @ParameterizedTest(name = "{0} after the failure: cooling={1}")
    @MethodSource("elapsed")
    void cooldown_expiresExactlyAfterTheConfiguredDuration(Duration after, boolean cooling) {
        health.recordFailure(1);
        clock.advance(after);
        assertThat(health.isCoolingDown(1)).isEqualTo(cooling);
    }

    @Test
    void expiredCooldown_isForgotten() {
        health.recordFailure(1);
        clock.advance(COOLDOWN);
        assertThat(health.isCoolingDown(1)).isFalse();
        assertThat(health.coolingUntil(1)).isEqualTo(Instant.MIN);
    }

    @Test
    void recordSuccess_clearsCooldown() {
        health.recordFailure(1);
        health.recordSuccess(1);
        assertThat(health.isCoolingDown(1)).isFalse();
        assertThat(health.coolingUntil(1)).isEqualTo(Instant.MIN);
    }

    @Test
    void recordSuccess_onAHealthyNode_isHarmless() {
        health.recordSuccess(1);
        assertThat(health.isCoolingDown(1)).isFalse();
    }

    @Test
    void repeatedFailure_restartsCooldownFromTheLatestFailure() {
        health.recordFailure(1);
        clock.advance(Duration.ofSeconds(20));
        health.recordFailure(1);
        clock.advance(Duration.ofSeconds(20));
        assertThat(health.isCoolingDown(1))
                .as("40s after the first failure, 20s after the second")
                .isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(health.isCoolingDown(1)).isFalse();
    }

    @Test
    void cooldowns_arePerNode() {
        health.recordFailure(1);
        clock.advance(Duration.ofSeconds(10));
        health.recordFailure(2);
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.isCoolingDown(2)).isTrue();
        assertThat(health.isCoolingDown(3)).isFalse();

        health.recordSuccess(2);
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.isCoolingDown(2)).isFalse();

        clock.advance(Duration.ofSeconds(20));
        assertThat(health.isCoolingDown(1)).isFalse();
    }

    @Test
    void failureAfterExpiry_startsANewCooldown() {
        health.recordFailure(1);
        clock.advance(COOLDOWN.plusSeconds(5));
        assertThat(health.isCoolingDown(1)).isFalse();
        health.recordFailure(1);
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.coolingUntil(1)).isEqualTo(clock.instant().plus(COOLDOWN));
    }
}
