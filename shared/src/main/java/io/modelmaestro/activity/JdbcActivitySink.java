package io.modelmaestro.activity;

import io.micronaut.context.annotation.Requires;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes activity events to PostgreSQL in batches from one background thread, so the request path only enqueues.
 * Shutdown drains the queue. (In AWS the events go through SQS instead; see the activity-log pipeline.)
 */
@Singleton
@Requires(property = "maestro.activity.sink", value = "jdbc", defaultValue = "jdbc")
public class JdbcActivitySink implements ActivitySink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcActivitySink.class);
    private static final int BATCH = 200;

    private final ActivityLogRepository repository;
    private final LinkedBlockingQueue<ActivityEvent> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    public JdbcActivitySink(ActivityLogRepository repository) {
        this.repository = repository;
        this.writer = Thread.ofPlatform().name("activity-writer").daemon(true).start(this::run);
    }

    @Override
    public void accept(ActivityEvent event) {
        queue.add(event);
    }

    /** Blocks until everything queued so far is written (tests, shutdown). */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!queue.isEmpty() || writing) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private volatile boolean writing;

    private void run() {
        List<ActivityEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                ActivityEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing = true;
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                writing = false;
            }
        }
    }

    private void write(List<ActivityEvent> batch) {
        List<ActivityLogEntity> rows = new ArrayList<>(batch.size());
        for (ActivityEvent e : batch) {
            rows.add(toEntity(e));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                repository.saveAll(rows);
                return;
            } catch (RuntimeException ex) {
                if (attempt >= 5) {
                    // Fall back to row by row so one bad row cannot lose the batch.
                    for (ActivityLogEntity row : rows) {
                        try {
                            if (repository.findByRequestId(row.requestId()).isEmpty()) {
                                repository.save(row);
                            }
                        } catch (RuntimeException rowError) {
                            LOG.error(
                                    "activity row {} could not be written: {}", row.requestId(), rowError.getMessage());
                        }
                    }
                    return;
                }
                LOG.warn("activity batch write failed (attempt {}): {}", attempt, ex.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    static ActivityLogEntity toEntity(ActivityEvent e) {
        return new ActivityLogEntity(
                null,
                e.requestId(),
                e.userId(),
                e.username(),
                e.modelName(),
                e.nodeId(),
                e.nodeName(),
                e.requestType(),
                e.source(),
                e.urlPath(),
                e.statusCode(),
                e.promptTokens(),
                e.completionTokens(),
                e.promptTokens() + e.completionTokens(),
                e.durationMs(),
                e.ttftMs(),
                e.streamed(),
                e.attempts(),
                e.errorMessage(),
                e.createdAt());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
