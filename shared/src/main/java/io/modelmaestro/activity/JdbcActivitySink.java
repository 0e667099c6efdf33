package io.modelmaestro.activity;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes activity events to PostgreSQL in batches from one background thread, so the request path only enqueues.
 * Shutdown drains the queue. Rows go through {@link ActivityBatchWriter} (idempotent on the request id). This is the
 * default ({@code maestro.activity.sink=jdbc}); the SQS pipeline ({@code sqs}) is in {@code activity.sqs}.
 */
@Singleton
@Requires(property = "maestro.activity.sink", value = "jdbc", defaultValue = "jdbc")
public class JdbcActivitySink implements ActivitySink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcActivitySink.class);
    private static final int BATCH = 200;

    private final ActivityBatchWriter writer;
    private final LinkedBlockingQueue<ActivityEvent> queue = new LinkedBlockingQueue<>();
    /** Events accepted and events written (or given up on); flush waits for the second to catch up with the first. */
    private final AtomicLong accepted = new AtomicLong();

    private final AtomicLong done = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public JdbcActivitySink(ActivityBatchWriter writer) {
        this.writer = writer;
        this.thread = Thread.ofPlatform().name("activity-writer").daemon(true).start(this::run);
    }

    @Override
    public void accept(ActivityEvent event) {
        accepted.incrementAndGet();
        queue.add(event);
    }

    /**
     * Blocks until everything accepted before the call is written (tests, shutdown). It counts events rather than
     * looking at the queue: an event the writer has taken off the queue but not yet written is in neither.
     */
    public void flush() {
        long target = accepted.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (done.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        List<ActivityEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                ActivityEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
    }

    private void write(List<ActivityEvent> batch) {
        // ActivityBatchWriter isolates bad rows itself; only an unreachable database is worth retrying here.
        List<ActivityEvent> pending = batch;
        for (int attempt = 1; ; attempt++) {
            ActivityBatchWriter.Result result = writer.write(pending);
            if (result.ok()) {
                return;
            }
            List<ActivityEvent> failed = new ArrayList<>(result.failed().size());
            for (ActivityEvent e : pending) {
                if (result.failed().contains(e.requestId())) {
                    failed.add(e);
                }
            }
            if (!result.unavailable() || attempt >= 5) {
                LOG.error(
                        "{} activity rows could not be written{}: {}",
                        failed.size(),
                        result.unavailable() ? " (database unavailable)" : "",
                        result.failed());
                return;
            }
            pending = failed;
            LOG.warn("activity batch write failed (attempt {}), retrying {} rows", attempt, pending.size());
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
