package io.modelmaestro.activity;

import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: UUID version 7 (RFC 9562 §5.7), 48 bits of Unix milliseconds then 74 random bits. Time-ordered ids land
 * at the right edge of the {@code activity_logs.request_id} index instead of on a random page of it, and they sort
 * like the rows. The random bits come from {@link ThreadLocalRandom}: an id must be unique, not unguessable (it grants
 * nothing), and {@link UUID#randomUUID()} reads the kernel's random source under a lock on every request (1.2 % of the
 * request path's CPU samples under load, session 7). 74 random bits make a collision within one millisecond as likely
 * as with 2^37 requests in it.
 */
@Singleton
public class RequestIds {

    private final InstantSource clock;

    public RequestIds(InstantSource clock) {
        this.clock = clock;
    }

    public UUID next() {
        return of(
                clock.millis(),
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong());
    }

    /** The version-7 UUID of {@code millis} with the low bits of {@code randA} (12) and {@code randB} (62). */
    static UUID of(long millis, long randA, long randB) {
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
