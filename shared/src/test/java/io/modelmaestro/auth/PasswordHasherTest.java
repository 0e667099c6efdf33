package io.modelmaestro.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashes_are_salted_argon2id_phc_strings_that_verify_only_the_right_password() {
        String a = hasher.hash("s3cret-password");
        String b = hasher.hash("s3cret-password");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("s3cret");
        assertThat(a).as("a fresh salt each time").isNotEqualTo(b);
        assertThat(hasher.verify("s3cret-password", a)).isTrue();
        assertThat(hasher.verify("s3cret-password", b)).isTrue();
        assertThat(hasher.verify("s3cret-passwore", a)).isFalse();
        assertThat(hasher.verify("", a)).isFalse();
        assertThat(hasher.needsRehash(a)).isFalse();
    }

    @Test
    void a_known_rfc9106_style_vector_from_another_implementation_verifies() {
        // Produced by the reference argon2 CLI: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
        assertThat(hasher.verify("Password", reference)).isFalse();
        assertThat(hasher.needsRehash(reference)).isFalse();
    }

    @Test
    void malformed_or_weaker_hashes_are_handled() {
        assertThat(hasher.verify("x", "plain-text")).isFalse();
        assertThat(hasher.verify(
                        "x", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
                .isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=19456,t=2,p=1$!!!$???")).isFalse();
        assertThat(hasher.needsRehash(new PasswordHasher(1024, 1, 1).hash("x"))).isTrue();
    }

    @Test
    void the_throttle_blocks_after_the_limit_until_the_window_passes() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        InstantSource clock = now::get;
        SignInThrottle t = new SignInThrottle(clock, 3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            assertThat(t.retryAfterSeconds("Admin", "10.0.0.1")).isZero();
            t.failed("admin", "10.0.0.1");
        }
        assertThat(t.retryAfterSeconds("ADMIN", "10.0.0.9"))
                .as("per username, any case")
                .isEqualTo(600);
        assertThat(t.retryAfterSeconds("other", "10.0.0.1")).as("per address").isEqualTo(600);
        assertThat(t.retryAfterSeconds("other", "10.0.0.2")).isZero();
        now.set(now.get().plus(Duration.ofMinutes(4)));
        assertThat(t.retryAfterSeconds("admin", null)).isEqualTo(360);
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(t.retryAfterSeconds("admin", "10.0.0.1")).isZero();
    }
}
