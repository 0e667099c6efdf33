package io.modelmaestro.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void ids_are_version_7_with_the_rfc_variant_and_the_clocks_milliseconds() {
        Instant at = Instant.parse("2026-11-23T22:15:00.123Z");
        UUID id = new RequestIds(InstantSource.fixed(at)).next();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
        // The RFC's test vector (RFC 9562 Appendix A.6): 2022-02-22 19:22:22 UTC, rand_a 0xCC3, rand_b
        // 0x18C4DC0C0C07398F.
        assertThat(RequestIds.of(0x017F22E279B0L, 0xCC3, 0x18C4DC0C0C07398FL).toString())
                .isEqualTo("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    }

    @Test
    void ids_sort_by_time_and_do_not_repeat_within_a_millisecond() {
        AtomicLong millis = new AtomicLong(1_700_000_000_000L);
        RequestIds ids = new RequestIds(() -> Instant.ofEpochMilli(millis.get()));
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
        UUID earlier = ids.next();
        millis.incrementAndGet();
        UUID later = ids.next();
        // Compared as the unsigned bytes PostgreSQL's uuid ordering uses.
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()))
                .isNegative();
    }
}
