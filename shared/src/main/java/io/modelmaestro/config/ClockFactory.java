package io.modelmaestro.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * Time and randomness are beans, so tests can replace them (routing and health never call the system clock). They are
 * secondary: any other {@code InstantSource} or {@code RandomGenerator} bean (a test clock) wins.
 */
@Factory
public class ClockFactory {

    @Singleton
    @Secondary
    InstantSource clock() {
        return InstantSource.system();
    }

    @Singleton
    @Secondary
    RandomGenerator random() {
        return new SecureRandom();
    }
}
