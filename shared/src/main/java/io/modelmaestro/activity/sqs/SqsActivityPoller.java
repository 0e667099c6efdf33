package io.modelmaestro.activity.sqs;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local runtime's consumer loop ({@code maestro.activity.sqs.poll=true}; in AWS a Lambda with an SQS event source
 * does this job). One dedicated platform thread ({@code activity-sqs-consumer}) long-polls up to ten messages, hands
 * them to {@link SqsActivityConsumer}, deletes the ones stored (only after the insert committed) and leaves the
 * others in the queue:
 *
 * <ul>
 *   <li>a message that failed on its own (unparseable, or a row the database refuses) becomes visible again after
 *       {@code retry-delay}; after the queue's {@code maxReceiveCount} receives SQS moves it to the dead-letter queue;
 *   <li>when PostgreSQL is unreachable, the loop stops receiving (so an outage does not use up receive counts and
 *       push good events into the dead-letter queue), probes the database with backoff, and once it answers makes the
 *       held messages visible again at once.
 * </ul>
 *
 * Shutdown first lets the producer flush, then consumes what is queued for up to {@code shutdown-timeout} (the
 * embedded queue of the local runtime lives in memory).
 */
@Context
@Requires(property = "maestro.activity.sink", value = "sqs")
@Requires(property = "maestro.activity.sqs.poll", value = "true")
public class SqsActivityPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqsActivityPoller.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Counters since start, in messages (each carries one or more events) except {@code storedEvents}: the events in
     * the messages the consumer stored.
     */
    public record Stats(
            long received,
            long deleted,
            long storedEvents,
            long failed,
            long poison,
            long databaseOutages,
            long receiveCalls) {}

    private final SqsClient client;
    private final String queueUrl;
    private final SqsActivityConsumer consumer;
    private final int waitSeconds;
    private final int retryDelaySeconds;
    private final Duration shutdownTimeout;
    private final long receiveLingerMillis;
    private final @Nullable SqsActivitySink sink;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong storedEvents = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong poison = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong receiveCalls = new AtomicLong();

    private volatile @Nullable Thread thread;
    private volatile boolean running;
    private volatile boolean draining;
    private volatile long drainDeadline;

    @Inject
    public SqsActivityPoller(
            ActivityQueue queue,
            SqsActivityConsumer consumer,
            SqsActivitySettings settings,
            Optional<SqsActivitySink> sink) {
        this(
                queue.client(),
                queue.url(),
                consumer,
                settings.waitTime(),
                settings.retryDelay(),
                settings.shutdownTimeout(),
                settings.receiveLinger(),
                sink.orElse(null));
        start();
    }

    /** A poller that is not started yet ({@link #start}) and receives again at once after a part-full batch. */
    public SqsActivityPoller(
            SqsClient client,
            String queueUrl,
            SqsActivityConsumer consumer,
            Duration waitTime,
            Duration retryDelay,
            Duration shutdownTimeout,
            @Nullable SqsActivitySink sink) {
        this(client, queueUrl, consumer, waitTime, retryDelay, shutdownTimeout, Duration.ZERO, sink);
    }

    /** A poller that is not started yet ({@link #start}). */
    public SqsActivityPoller(
            SqsClient client,
            String queueUrl,
            SqsActivityConsumer consumer,
            Duration waitTime,
            Duration retryDelay,
            Duration shutdownTimeout,
            Duration receiveLinger,
            @Nullable SqsActivitySink sink) {
        this.receiveLingerMillis = Math.max(0, receiveLinger.toMillis());
        this.client = client;
        this.queueUrl = queueUrl;
        this.consumer = consumer;
        this.waitSeconds = (int) Math.min(20, Math.max(0, waitTime.toSeconds()));
        this.retryDelaySeconds = (int) Math.min(43_200, Math.max(0, retryDelay.toSeconds()));
        this.shutdownTimeout = shutdownTimeout;
        this.sink = sink;
    }

    public synchronized void start() {
        if (thread == null) {
            running = true;
            thread = Thread.ofPlatform()
                    .name("activity-sqs-consumer")
                    .daemon(true)
                    .start(this::run);
        }
    }

    public Stats stats() {
        return new Stats(
                received.get(),
                deleted.get(),
                storedEvents.get(),
                failed.get(),
                poison.get(),
                outages.get(),
                receiveCalls.get());
    }

    private void run() {
        long receiveFailingSince = 0;
        long lastWarn = 0;
        long backoff = 0;
        List<Message> held = List.of();
        while (running) {
            if (!held.isEmpty()) {
                if (!awaitDatabase()) {
                    return;
                }
                makeVisible(held, 0);
                held = List.of();
            }
            List<Message> messages;
            try {
                receiveCalls.incrementAndGet();
                messages = client.receiveMessage(r -> r.queueUrl(queueUrl)
                                .maxNumberOfMessages(SqsActivitySink.MAX_BATCH)
                                .waitTimeSeconds(draining ? 0 : waitSeconds)
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                                .messageAttributeNames("All"))
                        .messages();
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (receiveFailingSince == 0) {
                    receiveFailingSince = now;
                    lastWarn = now;
                    LOG.warn("receiving activity messages from SQS failed, retrying: {}", e.toString());
                } else if (now - lastWarn > WARN_EVERY_NANOS) {
                    lastWarn = now;
                    LOG.warn(
                            "receiving activity messages from SQS fails for {} s: {}",
                            TimeUnit.NANOSECONDS.toSeconds(now - receiveFailingSince),
                            e.toString());
                }
                if (draining) {
                    return;
                }
                backoff = backoff == 0 ? 500 : Math.min(backoff * 2, 10_000);
                if (!sleep(backoff)) {
                    return;
                }
                continue;
            }
            if (receiveFailingSince != 0) {
                LOG.info("receiving activity messages from SQS works again");
                receiveFailingSince = 0;
                backoff = 0;
            }
            if (messages.isEmpty()) {
                if (draining) {
                    return;
                }
                continue;
            }
            held = handle(messages);
            if (draining && System.nanoTime() > drainDeadline) {
                return;
            }
            if (messages.size() < SqsActivitySink.MAX_BATCH && held.isEmpty() && !draining && receiveLingerMillis > 0) {
                // The queue was nearly empty: let it fill before the next receive (and its delete) instead of
                // making both calls for every message or two.
                if (!sleep(receiveLingerMillis)) {
                    return;
                }
            }
        }
    }

    /** Processes one batch; returns the messages to hold while the database is unavailable (else empty). */
    private List<Message> handle(List<Message> messages) {
        received.addAndGet(messages.size());
        SqsActivityConsumer.Outcome outcome = consumer.process(messages);
        poison.addAndGet(outcome.poison());
        storedEvents.addAndGet(outcome.storedEvents());
        Set<String> failedIds = new HashSet<>(outcome.failedMessageIds());
        List<Message> ok = new ArrayList<>(messages.size());
        List<Message> bad = new ArrayList<>(failedIds.size());
        for (Message m : messages) {
            (failedIds.contains(m.messageId()) ? bad : ok).add(m);
        }
        delete(ok);
        failed.addAndGet(bad.size());
        if (bad.isEmpty()) {
            return List.of();
        }
        if (outcome.databaseUnavailable()) {
            outages.incrementAndGet();
            LOG.warn(
                    "PostgreSQL is unavailable: {} activity messages stay in the queue; consumption pauses until it"
                            + " answers",
                    bad.size());
            return bad;
        }
        makeVisible(bad, retryDelaySeconds);
        return List.of();
    }

    /** Probes the database with backoff until it answers; false when the poller stops meanwhile. */
    private boolean awaitDatabase() {
        long pause = 250;
        long since = System.nanoTime();
        while (!consumer.databaseAvailable()) {
            if (!running || draining) {
                return false;
            }
            if (!sleep(pause)) {
                return false;
            }
            pause = Math.min(pause * 2, 10_000);
        }
        LOG.info(
                "PostgreSQL answers again after {} s; resuming activity consumption",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since));
        return true;
    }

    private void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle())
                    .build());
        }
        try {
            var response = client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            deleted.addAndGet(response.successful().size());
            for (BatchResultErrorEntry f : response.failed()) {
                // Redelivered later and stored again as a no-op (ON CONFLICT): a duplicate delivery, not a loss.
                LOG.warn("could not delete stored activity message ({}: {})", f.code(), f.message());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete {} stored activity messages: {}", messages.size(), e.toString());
        }
    }

    private void makeVisible(List<Message> messages, int seconds) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle())
                    .visibilityTimeout(seconds)
                    .build());
        }
        try {
            client.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (RuntimeException e) {
            // They become visible after the queue's visibility timeout anyway.
            LOG.debug("could not change the visibility of {} activity messages: {}", messages.size(), e.toString());
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lets the producer flush, consumes what is queued (bounded by {@code shutdown-timeout}), then stops. */
    @PreDestroy
    @Override
    public void close() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        SqsActivitySink s = sink;
        if (s != null) {
            s.flush(shutdownTimeout);
        }
        drainDeadline = System.nanoTime() + shutdownTimeout.toNanos();
        draining = true;
        try {
            t.join(shutdownTimeout.plusSeconds(waitSeconds + 5L).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        t.interrupt();
        thread = null;
    }
}
