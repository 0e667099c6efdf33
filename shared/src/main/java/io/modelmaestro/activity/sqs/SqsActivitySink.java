package io.modelmaestro.activity.sqs;

import io.micronaut.context.annotation.Requires;
import io.modelmaestro.activity.ActivityBatchWriter;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import io.modelmaestro.activity.ActivitySink;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The producer side of the activity pipeline ({@code maestro.activity.sink=sqs}).
 *
 * <p>{@link #accept} only offers the event to a bounded in-memory buffer and returns: it never blocks and never does
 * I/O, so it is safe on an event loop. One dedicated platform thread ({@code activity-sqs-sender}) takes up to
 * {@value #MAX_EVENTS_PER_CALL} events at a time and sends them with one {@code SendMessageBatch}, waiting up to
 * {@code linger} after the first event for the call to fill (every SQS call costs far more than an event, and the
 * activity log is not latency-sensitive). Each message carries up to {@value #MAX_EVENTS_PER_MESSAGE} events (at most
 * {@value #MAX_MESSAGE_BYTES} bytes) as a JSON array of {@link ActivityEventJson} objects, with their number in the
 * {@value #EVENT_COUNT_ATTRIBUTE} attribute: packing cuts the SQS requests (sends, receives, deletes; each billed) and
 * the consumer's inserts per event by up to 25 times (ADR 0018). Entries SQS fails (the whole call, or single entries
 * that are not the sender's fault) are retried, with exponential backoff and jitter up to {@code max-backoff}, until
 * they are sent.
 *
 * <p>When SQS is unreachable for long, memory stays bounded ({@code buffer-capacity} events plus one batch) and nothing
 * is dropped silently:
 *
 * <ol>
 *   <li>the buffer absorbs the outage, and a warning is logged every 30 s while sends fail;
 *   <li>once sends fail and the buffer is half full, the sender writes buffered events straight into PostgreSQL
 *       through {@link ActivityBatchWriter} (the consumer's idempotent insert, so nothing is doubled);
 *   <li>only when the buffer is full anyway (SQS and PostgreSQL both failing, or more events than both absorb) is a
 *       new event dropped: counted in {@link Stats#dropped()} and logged at ERROR with its request id (rate-limited
 *       to one line per 10 s with the running total).
 * </ol>
 *
 * Entries SQS refuses as the sender's fault (they will never be accepted) take the same direct-write path. Shutdown
 * sends what is buffered for up to {@code shutdown-timeout}, then writes the rest directly, then logs what is lost.
 */
@Singleton
@Requires(property = "maestro.activity.sink", value = "sqs")
public class SqsActivitySink implements ActivitySink {

    /** Message attribute: how many events the body carries. */
    public static final String EVENT_COUNT_ATTRIBUTE = "event_count";
    /** Entries per {@code SendMessageBatch} and messages per {@code ReceiveMessage}: SQS's limit. */
    static final int MAX_BATCH = 10;
    /** Events per message at most; with {@link #MAX_BATCH} messages, the events one call can carry. */
    static final int MAX_EVENTS_PER_MESSAGE = 25;

    static final int MAX_EVENTS_PER_CALL = MAX_BATCH * MAX_EVENTS_PER_MESSAGE;
    /** UTF-8 bytes per message body at most (events are ~500 bytes; SQS takes 256 KiB per call in all). */
    static final int MAX_MESSAGE_BYTES = 24 * 1024;

    private static final int SPILL_CHUNK = 500;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long DROP_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(SqsActivitySink.class);

    /**
     * Counters since start. Every accepted event ends up in exactly one of {@code sent}, {@code spilled} (written
     * straight to PostgreSQL) or {@code dropped}; the rest is {@code pending}.
     */
    public record Stats(
            long accepted, long sent, long spilled, long dropped, long failedSendCalls, int buffered, long pending) {}

    private final SqsClient client;
    private final String queueUrl;
    private final int capacity;
    private final long maxBackoffMillis;
    private final Duration shutdownTimeout;
    private final long lingerNanos;
    private final @Nullable ActivityBatchWriter direct;
    private final ArrayBlockingQueue<ActivityEvent> buffer;

    /**
     * Put into the buffer by {@link #flush}: wakes a lingering sender so that what is buffered goes out now. Never sent,
     * spilled or counted; every read of the buffer goes through {@link #take} or {@link #drainTo}, which remove it.
     */
    private static final ActivityEvent FLUSH = new ActivityEvent(
            new UUID(0, 0), null, null, "", null, null, "", "", "", 0, 0, 0, 0, null, false, 0, null, Instant.EPOCH);

    /** A flush marker was read since the sender began gathering its current batch: send without lingering. */
    private boolean urgent;
    /** Events taken from the buffer whose send failed; touched by the sender thread only. */
    private final ArrayDeque<ActivityEvent> retry = new ArrayDeque<>();

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedSendCalls = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_EVERY_NANOS);

    private final Thread sender;
    private volatile boolean running = true;
    private volatile long shutdownDeadline;
    private long failingSince;
    private long lastWarn;

    @Inject
    public SqsActivitySink(ActivityQueue queue, SqsActivitySettings settings, Optional<ActivityBatchWriter> direct) {
        this(
                queue.client(),
                queue.url(),
                settings.bufferCapacity(),
                settings.maxBackoff(),
                settings.shutdownTimeout(),
                settings.linger(),
                direct.orElse(null));
    }

    /** A sink that sends as soon as an event is there (no linger). */
    public SqsActivitySink(
            SqsClient client,
            String queueUrl,
            int capacity,
            Duration maxBackoff,
            Duration shutdownTimeout,
            @Nullable ActivityBatchWriter direct) {
        this(client, queueUrl, capacity, maxBackoff, shutdownTimeout, Duration.ZERO, direct);
    }

    public SqsActivitySink(
            SqsClient client,
            String queueUrl,
            int capacity,
            Duration maxBackoff,
            Duration shutdownTimeout,
            Duration linger,
            @Nullable ActivityBatchWriter direct) {
        if (capacity < MAX_BATCH) {
            throw new IllegalArgumentException("maestro.activity.sqs.buffer-capacity must be at least " + MAX_BATCH);
        }
        this.client = client;
        this.queueUrl = queueUrl;
        this.capacity = capacity;
        this.maxBackoffMillis = Math.max(1, maxBackoff.toMillis());
        this.shutdownTimeout = shutdownTimeout;
        this.lingerNanos = Math.max(0, linger.toNanos());
        this.direct = direct;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.sender =
                Thread.ofPlatform().name("activity-sqs-sender").daemon(true).start(this::run);
    }

    @Override
    public void accept(ActivityEvent event) {
        accepted.incrementAndGet();
        if (!sender.isAlive()) {
            drop(event, "it arrived after shutdown");
        } else if (!buffer.offer(event)) {
            drop(event, "the buffer of " + capacity + " events is full");
        }
    }

    public Stats stats() {
        long a = accepted.get();
        long s = sent.get();
        long sp = spilled.get();
        long d = dropped.get();
        return new Stats(a, s, sp, d, failedSendCalls.get(), buffer.size(), a - s - sp - d);
    }

    /** Waits until every event accepted so far is sent (or otherwise accounted for); false on timeout. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (stats().pending() > 0) {
            // Cut a linger short (a full buffer needs no waking: the sender is busy).
            buffer.offer(FLUSH);
        }
        while (stats().pending() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                // Short: on Lambda an answer's end waits for this (SendBeforeResponseEnds).
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Waits up to {@code linger} for more events until the batch is full; not while shutting down. */
    private void linger(List<ActivityEvent> batch) throws InterruptedException {
        long until = System.nanoTime() + lingerNanos;
        while (batch.size() < MAX_EVENTS_PER_CALL && running && !urgent) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            ActivityEvent next = take(buffer.poll(left, TimeUnit.NANOSECONDS));
            if (next == null) {
                return;
            }
            batch.add(next);
            drainTo(batch, MAX_EVENTS_PER_CALL - batch.size());
        }
    }

    /** {@code polled}, or null (and {@link #urgent}) when it is the flush marker. */
    private @Nullable ActivityEvent take(@Nullable ActivityEvent polled) {
        if (polled == FLUSH) {
            urgent = true;
            return null;
        }
        return polled;
    }

    /** Drains up to {@code max} buffered elements into {@code into}, leaving out flush markers (noting them). */
    private void drainTo(List<ActivityEvent> into, int max) {
        int from = into.size();
        buffer.drainTo(into, max);
        for (int i = into.size() - 1; i >= from; i--) {
            if (into.get(i) == FLUSH) {
                into.remove(i);
                urgent = true;
            }
        }
    }

    private void run() {
        List<ActivityEvent> batch = new ArrayList<>(MAX_EVENTS_PER_CALL);
        long backoff = 0;
        while (true) {
            batch.clear();
            urgent = false;
            while (batch.size() < MAX_EVENTS_PER_CALL && !retry.isEmpty()) {
                batch.add(retry.poll());
            }
            drainTo(batch, MAX_EVENTS_PER_CALL - batch.size());
            if (batch.isEmpty()) {
                if (!running) {
                    return;
                }
                try {
                    ActivityEvent first = take(buffer.poll(100, TimeUnit.MILLISECONDS));
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    drainTo(batch, MAX_EVENTS_PER_CALL - 1);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (backoff == 0) {
                try {
                    linger(batch);
                } catch (InterruptedException e) {
                    // Nothing interrupts the sender (close() stops it through running); send what is gathered.
                }
            }
            if (send(batch)) {
                backoff = 0;
                recovered();
                continue;
            }
            failing();
            if (!running && System.nanoTime() > shutdownDeadline) {
                break;
            }
            spillIfFilling();
            backoff = backoff == 0 ? 100 : Math.min(backoff * 2, maxBackoffMillis);
            long pause = running ? backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1) : 50;
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                break;
            }
        }
        giveUp();
    }

    /**
     * Sends one batch, packed into at most {@value #MAX_BATCH} messages; failed retryable entries, and events that did
     * not fit into this call, go to {@link #retry}. True when nothing needs retrying.
     */
    private boolean send(List<ActivityEvent> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(MAX_BATCH);
        List<List<ActivityEvent>> packed = new ArrayList<>(MAX_BATCH);
        List<ActivityEvent> current = new ArrayList<>(MAX_EVENTS_PER_MESSAGE);
        StringBuilder body = new StringBuilder(MAX_EVENTS_PER_MESSAGE * 512);
        int bodyBytes = 0;
        int next = 0;
        for (; next < batch.size(); next++) {
            ActivityEvent e = batch.get(next);
            String json = ActivityEventJson.encode(e);
            int bytes = json.getBytes(StandardCharsets.UTF_8).length + 1;
            if (!current.isEmpty()
                    && (current.size() == MAX_EVENTS_PER_MESSAGE || bodyBytes + bytes + 1 > MAX_MESSAGE_BYTES)) {
                entries.add(entry(entries.size(), body, current.size()));
                packed.add(current);
                current = new ArrayList<>(MAX_EVENTS_PER_MESSAGE);
                body.setLength(0);
                bodyBytes = 0;
                if (entries.size() == MAX_BATCH) {
                    break;
                }
            }
            body.append(current.isEmpty() ? '[' : ',').append(json);
            bodyBytes += bytes;
            current.add(e);
        }
        if (!current.isEmpty()) {
            entries.add(entry(entries.size(), body, current.size()));
            packed.add(current);
        }
        // What did not fit goes first into the next call.
        boolean leftOver = next < batch.size();
        for (int i = batch.size() - 1; i >= next; i--) {
            retry.addFirst(batch.get(i));
        }
        SendMessageBatchResponse response;
        try {
            response = client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (RuntimeException e) {
            failedSendCalls.incrementAndGet();
            packed.forEach(retry::addAll);
            if (failingSince == 0) {
                LOG.warn("sending activity events to SQS failed, retrying with backoff: {}", e.toString());
            }
            return false;
        }
        for (SendMessageBatchResultEntry ok : response.successful()) {
            sent.addAndGet(packed.get(Integer.parseInt(ok.id())).size());
        }
        boolean retryable = false;
        for (BatchResultErrorEntry failure : response.failed()) {
            List<ActivityEvent> events = packed.get(Integer.parseInt(failure.id()));
            if (Boolean.TRUE.equals(failure.senderFault())) {
                LOG.error(
                        "SQS refused a message of {} activity events, the first {} ({}: {}); writing them directly",
                        events.size(),
                        events.get(0).requestId(),
                        failure.code(),
                        failure.message());
                writeDirectly(events, "SQS refused it");
            } else {
                retry.addAll(events);
                retryable = true;
            }
        }
        return !retryable;
    }

    private static SendMessageBatchRequestEntry entry(int id, StringBuilder body, int events) {
        return SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(id))
                .messageBody(body.append(']').toString())
                .messageAttributes(Map.of(
                        EVENT_COUNT_ATTRIBUTE,
                        MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue(Integer.toString(events))
                                .build()))
                .build();
    }

    private void failing() {
        long now = System.nanoTime();
        if (failingSince == 0) {
            failingSince = now;
            lastWarn = now;
        } else if (now - lastWarn > WARN_EVERY_NANOS) {
            lastWarn = now;
            LOG.warn(
                    "activity events cannot be sent to SQS for {} s; {} buffered of {} (then written directly to"
                            + " PostgreSQL, then dropped): {}",
                    TimeUnit.NANOSECONDS.toSeconds(now - failingSince),
                    buffer.size(),
                    capacity,
                    stats());
        }
    }

    private void recovered() {
        if (failingSince != 0) {
            LOG.info(
                    "SQS accepts activity events again after {} s: {}",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSince),
                    stats());
            failingSince = 0;
        }
    }

    /**
     * While SQS fails and the events held (the buffer and the call being retried) reach half the buffer's capacity,
     * moves them, oldest first, straight into PostgreSQL.
     */
    private void spillIfFilling() {
        if (direct == null || buffer.size() + retry.size() < capacity / 2) {
            return;
        }
        List<ActivityEvent> chunk = new ArrayList<>(SPILL_CHUNK);
        while (chunk.size() < SPILL_CHUNK && !retry.isEmpty()) {
            chunk.add(retry.poll());
        }
        drainTo(chunk, SPILL_CHUNK - chunk.size());
        LOG.warn("SQS is failing and the activity buffer is half full: writing {} events directly", chunk.size());
        writeDirectly(chunk, "SQS is failing");
    }

    /** Writes events with the consumer's insert; what fails goes back to the buffer, or is dropped if it is full. */
    private void writeDirectly(List<ActivityEvent> events, String why) {
        ActivityBatchWriter writer = direct;
        if (writer == null) {
            for (ActivityEvent e : events) {
                drop(e, why + " and there is no database to write to");
            }
            return;
        }
        ActivityBatchWriter.Result result = writer.write(events);
        for (ActivityEvent e : events) {
            if (!result.failed().contains(e.requestId())) {
                spilled.incrementAndGet();
            } else if (!result.unavailable() || !buffer.offer(e)) {
                drop(e, why + " and PostgreSQL did not take it either");
            }
        }
    }

    private void drop(ActivityEvent event, String why) {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
            LOG.error(
                    "ACTIVITY EVENT LOST: {} dropped because {} ({} dropped since start; SQS or PostgreSQL must"
                            + " recover)",
                    event.requestId(),
                    why,
                    total);
        }
    }

    /** Shutdown ran out of time: write what is left directly, and account for what still cannot be stored. */
    private void giveUp() {
        List<ActivityEvent> left = new ArrayList<>(retry);
        retry.clear();
        drainTo(left, Integer.MAX_VALUE);
        if (left.isEmpty()) {
            return;
        }
        LOG.warn("{} activity events not sent to SQS at shutdown; writing them directly", left.size());
        for (int i = 0; i < left.size(); i += SPILL_CHUNK) {
            List<ActivityEvent> chunk = left.subList(i, Math.min(left.size(), i + SPILL_CHUNK));
            ActivityBatchWriter writer = direct;
            ActivityBatchWriter.Result result = writer == null ? null : writer.write(chunk);
            for (ActivityEvent e : chunk) {
                if (result != null && !result.failed().contains(e.requestId())) {
                    spilled.incrementAndGet();
                } else {
                    drop(e, "shutdown could neither send it to SQS nor write it to PostgreSQL");
                }
            }
        }
        if (dropped.get() > 0) {
            LOG.error("activity events lost since start: {}", stats());
        }
    }

    @PreDestroy
    public void close() {
        shutdownDeadline = System.nanoTime() + shutdownTimeout.toNanos();
        running = false;
        // Wakes a sender waiting out its linger (which can be long), so shutdown does not wait for it.
        buffer.offer(FLUSH);
        try {
            sender.join(shutdownTimeout.plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
