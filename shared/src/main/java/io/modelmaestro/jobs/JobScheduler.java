package io.modelmaestro.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs on Micronaut's scheduler in a long-running process. On with {@code maestro.jobs.enabled=true}, which
 * the local runtime sets; off in tests (they run jobs directly) and on Lambda (EventBridge invokes {@code
 * ScheduledJobsHandler}). Intervals: {@code maestro.health.interval} (120 s), {@code maestro.discovery.interval} (600
 * s), {@code maestro.warmup.interval} (300 s), {@code maestro.retention.interval} (1 h).
 */
@Singleton
@Requires(property = "maestro.jobs.enabled", value = "true")
public class JobScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    private final HealthCheckJob health;
    private final ModelDiscoveryJob discovery;
    private final WarmupJob warmup;
    private final RetentionJob retention;

    public JobScheduler(HealthCheckJob health, ModelDiscoveryJob discovery, WarmupJob warmup, RetentionJob retention) {
        this.health = health;
        this.discovery = discovery;
        this.warmup = warmup;
        this.retention = retention;
    }

    @Scheduled(fixedDelay = "${maestro.health.interval:120s}", initialDelay = "${maestro.jobs.initial-delay:5s}")
    void healthChecks() {
        run(health);
    }

    @Scheduled(fixedDelay = "${maestro.discovery.interval:600s}", initialDelay = "${maestro.jobs.initial-delay:5s}")
    void modelDiscovery() {
        run(discovery);
    }

    @Scheduled(fixedDelay = "${maestro.warmup.interval:300s}", initialDelay = "${maestro.warmup.initial-delay:60s}")
    void warmups() {
        run(warmup);
    }

    @Scheduled(fixedDelay = "${maestro.retention.interval:1h}", initialDelay = "5m")
    void retention() {
        run(retention);
    }

    private static void run(Job job) {
        try {
            JobSummary summary = job.run();
            LOG.debug(
                    "{}: {} done, {} held elsewhere, {} ms",
                    job.name(),
                    summary.done(),
                    summary.leaseHeld(),
                    summary.durationMs());
        } catch (RuntimeException e) {
            // A database blip must not stop the schedule: the next run tries again.
            LOG.warn("{} run failed: {}", job.name(), e.toString());
        }
    }
}
