package io.modelmaestro.activity;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Drops every event: activity logging off ({@code maestro.activity.sink=none}). Exists so the benchmark harness can
 * measure what logging costs; the default stays {@link JdbcActivitySink}.
 */
@Singleton
@Requires(property = "maestro.activity.sink", value = "none")
public class NoopActivitySink implements ActivitySink {

    @Override
    public void accept(ActivityEvent event) {
        // logging is off
    }
}
