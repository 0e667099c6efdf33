package io.modelmaestro.activity;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw activity rows older than {@code maestro.activity.retention} (default 30 days), in bounded batches so a
 * large backlog never holds a long lock. The daily aggregates ({@code usage_daily}) are kept.
 */
@Singleton
public class ActivityRetention {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRetention.class);
    private static final int BATCH = 10_000;

    private final JdbcOperations jdbc;
    private final InstantSource clock;
    private final Duration retention;

    public ActivityRetention(
            JdbcOperations jdbc, InstantSource clock, @Value("${maestro.activity.retention:30d}") Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    /** Deletes expired rows; returns how many. Scheduled as {@code io.modelmaestro.jobs.RetentionJob}. */
    public long purge() {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        long total = 0;
        while (true) {
            int n = deleteBatch(cutoff);
            total += n;
            if (n < BATCH) {
                if (total > 0) {
                    LOG.info("retention: deleted {} activity rows older than {}", total, retention);
                }
                return total;
            }
        }
    }

    @Transactional
    int deleteBatch(Timestamp cutoff) {
        return jdbc.prepareStatement(
                "DELETE FROM activity_logs WHERE id IN (SELECT id FROM activity_logs WHERE created_at < ? LIMIT "
                        + BATCH + ")",
                ps -> {
                    ps.setTimestamp(1, cutoff);
                    return ps.executeUpdate();
                });
    }
}
