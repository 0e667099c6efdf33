package io.modelmaestro.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamHttpRetryAfterTest {

    static Stream<Arguments> seconds() {
        return Stream.of(
                Arguments.of("0", 0L),
                Arguments.of("1", 1_000L),
                Arguments.of("5", 5_000L),
                Arguments.of("120", 120_000L),
                Arguments.of(" 7 ", 7_000L),
                Arguments.of("1.5", 1_500L),
                Arguments.of("0.25", 250L),
                Arguments.of("2.0", 2_000L));
    }

    @ParameterizedTest(name = "\"{0}\" → {1} ms")
    @MethodSource("seconds")
    void retryAfterMillis_deltaSeconds(String value, long expected) {
        assertThat(UpstreamHttp.retryAfterMillis(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "   ",
                "soon",
                "-3",
                "-0.5",
                "NaN",
                "Infinity",
                "-Infinity",
                "1e3",
                "5d",
                "0x10p0",
                "10 seconds",
                "Wed, 21 Oct 2015 07:28:00", // a date without zone
                "2030-01-01T00:00:00Z" // ISO, not an HTTP date
            })
    void retryAfterMillis_absentOrGarbage_isZero(String value) {
        assertThat(UpstreamHttp.retryAfterMillis(value)).isZero();
    }

    @Test
    void retryAfterMillis_httpDateInThePast_isZero() {
        assertThat(UpstreamHttp.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isZero();
    }

    @Test
    void retryAfterMillis_httpDateInTheFuture_isTheTimeUntilThen() {
        Instant at = Instant.now().plus(Duration.ofMinutes(2));
        String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
        long millis = UpstreamHttp.retryAfterMillis(header);
        // The header has whole seconds, and some time passes while the test runs.
        assertThat(millis)
                .isBetween(
                        Duration.ofSeconds(110).toMillis(),
                        Duration.ofMinutes(2).toMillis());
    }
}
