package io.modelmaestro.jobs;

import io.modelmaestro.activity.ActivityRetention;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** Deletes expired activity rows ({@link ActivityRetention}) under the lease {@code retention}. */
@Singleton
public class RetentionJob implements Job {

    public static final String NAME = "retention";

    private final ActivityRetention retention;
    private final JobLeases leases;
    private final InstantSource clock;

    public RetentionJob(ActivityRetention retention, JobLeases leases, InstantSource clock) {
        this.retention = retention;
        this.leases = leases;
        this.clock = clock;
    }

    /** @param deleted activity rows deleted by this run */
    public record Result(String outcome, long deleted) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSummary run() {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Optional<JobLeases.Lease> lease = leases.tryAcquire(NAME, Duration.ofHours(1));
        if (lease.isEmpty()) {
            return new JobSummary(NAME, started, 0, 0, 1, List.of(new Result("lease_held", 0)));
        }
        try {
            long deleted = retention.purge();
            return new JobSummary(
                    NAME,
                    started,
                    Duration.ofNanos(System.nanoTime() - t0).toMillis(),
                    1,
                    0,
                    List.of(new Result("purged", deleted)));
        } finally {
            leases.release(lease.get());
        }
    }
}
