package io.modelmaestro.activity;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
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

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void scheduled() {
        try {
            long deleted = purge();
            if (deleted > 0) {
                LOG.info("retention: deleted {} activity rows older than {}", deleted, retention);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention run failed: {}", e.getMessage());
        }
    }

    /** Deletes expired rows; returns how many. */
    public long purge() {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        long total = 0;
        while (true) {
            int n = deleteBatch(cutoff);
            total += n;
            if (n < BATCH) {
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
