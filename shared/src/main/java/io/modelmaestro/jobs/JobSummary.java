package io.modelmaestro.jobs;

import java.time.Instant;
import java.util.List;

/**
 * What one run did.
 *
 * @param done units of work run (nodes checked, synced or warmed; 1 for retention)
 * @param leaseHeld units skipped because another run held their lease
 * @param results one result per unit, in the job's own shape (e.g. {@code HealthService.Result})
 */
public record JobSummary(
        String job, Instant startedAt, long durationMs, int done, int leaseHeld, List<Object> results) {

    public JobSummary {
        results = List.copyOf(results);
    }
}
