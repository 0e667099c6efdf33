package io.modelmaestro.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/** Time and randomness are beans, so tests can replace them (routing and health never call the system clock). */
@Factory
public class ClockFactory {

    @Singleton
    @Requires(missingBeans = InstantSource.class)
    InstantSource clock() {
        return InstantSource.system();
    }

    @Singleton
    @Requires(missingBeans = RandomGenerator.class)
    RandomGenerator random() {
        return new SecureRandom();
    }
}
