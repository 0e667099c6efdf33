package io.modelmaestro.activity.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.activity.ActivityBatchWriter;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The producer's contract: packed batches within SQS's limits, retries until sent, bounded memory, nothing lost. */
class SqsActivitySinkTest {

    final List<SqsActivitySink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        sinks.forEach(SqsActivitySink::close);
    }

    SqsActivitySink sink(FakeSqsClient client, int capacity, ActivityBatchWriter direct) {
        SqsActivitySink sink =
                new SqsActivitySink(client, "q", capacity, Duration.ofMillis(20), Duration.ofSeconds(2), direct);
        sinks.add(sink);
        return sink;
    }

    /** A sink without a direct writer that waits up to {@code linger} to fill a call. */
    SqsActivitySink lingering(FakeSqsClient client, Duration linger) {
        SqsActivitySink sink =
                new SqsActivitySink(client, "q", 1000, Duration.ofMillis(20), Duration.ofSeconds(2), linger, null);
        sinks.add(sink);
        return sink;
    }

    static ActivityEvent event() {
        return new ActivityEvent(
                UUID.randomUUID(),
                1L,
                "alice",
                "llama",
                2L,
                "gpu",
                "chat",
                "curl",
                "/v1/chat/completions",
                200,
                3,
                4,
                50,
                5,
                false,
                1,
                null,
                Instant.now());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static Set<UUID> requestIds(List<SendMessageBatchRequestEntry> entries) {
        Set<UUID> ids = new HashSet<>();
        for (SendMessageBatchRequestEntry e : entries) {
            List<ActivityEvent> events = ActivityEventJson.decodeAll(e.messageBody());
            assertThat(e.messageBody()).startsWith("[");
            assertThat(events).hasSizeBetween(1, SqsActivitySink.MAX_EVENTS_PER_MESSAGE);
            assertThat(e.messageBody().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(SqsActivitySink.MAX_MESSAGE_BYTES);
            assertThat(e.messageAttributes()
                            .get(SqsActivitySink.EVENT_COUNT_ATTRIBUTE)
                            .stringValue())
                    .isEqualTo(Integer.toString(events.size()));
            for (ActivityEvent event : events) {
                assertThat(ids.add(event.requestId()))
                        .as("sent once: %s", event.requestId())
                        .isTrue();
            }
        }
        return ids;
    }

    static int eventCount(SendMessageBatchRequest call) {
        return call.entries().stream()
                .mapToInt(e -> ActivityEventJson.decodeAll(e.messageBody()).size())
                .sum();
    }

    /** A writer that records what it is given and stores it, or fails as unavailable while {@code down}. */
    static final class RecordingWriter extends ActivityBatchWriter {
        final List<ActivityEvent> written = new CopyOnWriteArrayList<>();
        volatile boolean down;

        RecordingWriter() {
            super((DataSource) Proxy.newProxyInstance(
                    DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                        throw new UnsupportedOperationException();
                    }));
        }

        @Override
        public Result write(List<ActivityEvent> events) {
            if (down) {
                Set<UUID> ids = new HashSet<>();
                events.forEach(e -> ids.add(e.requestId()));
                return new Result(0, ids, true);
            }
            written.addAll(events);
            return new Result(events.size(), Set.of(), false);
        }
    }

    @Test
    void events_go_out_packed_at_most_25_to_a_message_and_ten_messages_to_a_call_each_exactly_once() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofMillis(500));
        Set<UUID> expected = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            ActivityEvent e = event();
            expected.add(e.requestId());
            sink.accept(e);
        }
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(client.calls).allSatisfy(c -> assertThat(c.entries()).hasSizeBetween(1, 10));
        assertThat(client.calls.stream()
                        .mapToInt(SqsActivitySinkTest::eventCount)
                        .sum())
                .isEqualTo(600);
        // 600 events arrived within the linger: 250 + 250 + 100, not 60 calls of ten.
        assertThat(client.calls).hasSize(3);
        assertThat(requestIds(client.accepted)).isEqualTo(expected);
        assertThat(sink.stats().sent()).isEqualTo(600);
        assertThat(sink.stats().dropped()).isZero();
    }

    @Test
    void large_events_get_fewer_to_a_message_and_every_message_stays_within_its_size() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofMillis(500));
        Set<UUID> expected = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            // ~6 KB of non-ASCII text (2 UTF-8 bytes each): at most three such events fit into 24 KiB.
            ActivityEvent e = withError(event(), "é".repeat(3_000));
            expected.add(e.requestId());
            sink.accept(e);
        }
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(requestIds(client.accepted)).isEqualTo(expected);
        assertThat(client.accepted)
                .allSatisfy(e ->
                        assertThat(ActivityEventJson.decodeAll(e.messageBody())).hasSizeBetween(1, 3));
        assertThat(sink.stats().sent()).isEqualTo(40);
    }

    static ActivityEvent withError(ActivityEvent e, String error) {
        return new ActivityEvent(
                e.requestId(),
                e.userId(),
                e.username(),
                e.modelName(),
                e.nodeId(),
                e.nodeName(),
                e.requestType(),
                e.source(),
                e.urlPath(),
                502,
                0,
                0,
                e.durationMs(),
                null,
                false,
                1,
                error,
                e.createdAt());
    }

    @Test
    void events_trickling_in_are_gathered_for_the_linger_time_into_one_call() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofSeconds(2));
        for (int i = 0; i < 4; i++) {
            sink.accept(event());
            Thread.sleep(30);
        }
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        // Without a linger each of the four would have gone out alone, 30 ms apart.
        assertThat(client.calls).hasSize(1);
        assertThat(eventCount(client.calls.get(0))).isEqualTo(4);

        FakeSqsClient eager = FakeSqsClient.acceptingAll();
        SqsActivitySink noLinger = sink(eager, 1000, null);
        for (int i = 0; i < 4; i++) {
            noLinger.accept(event());
            Thread.sleep(30);
        }
        assertThat(noLinger.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(eager.calls).hasSize(4);
    }

    @Test
    void flush_sends_what_is_lingering_at_once() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofMinutes(5));
        for (int round = 1; round <= 2; round++) {
            for (int i = 0; i < 3; i++) {
                sink.accept(event());
            }
            long t0 = System.nanoTime();
            assertThat(sink.flush(Duration.ofSeconds(5))).isTrue();
            // The linger would hold them five minutes; a flush (the Lambda handler's, after each invocation) cuts it.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.calls).hasSize(round);
            assertThat(eventCount(client.calls.get(round - 1))).isEqualTo(3);
        }
        SqsActivitySink.Stats stats = sink.stats();
        assertThat(stats.sent()).isEqualTo(6);
        assertThat(stats.dropped()).isZero();
        assertThat(stats.pending()).isZero();
        // Nothing pending: a flush returns at once and sends nothing.
        assertThat(sink.flush(Duration.ofSeconds(1))).isTrue();
        Thread.sleep(200);
        assertThat(client.calls).hasSize(2);
    }

    @Test
    void shutdown_sends_what_is_lingering_without_waiting_out_the_linger() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofMinutes(5));
        sink.accept(event());
        sink.accept(event());
        Thread.sleep(100); // the sender has taken them and waits for more
        long t0 = System.nanoTime();
        sink.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(client.calls).hasSize(1);
        assertThat(eventCount(client.calls.get(0))).isEqualTo(2);
        assertThat(sink.stats().pending()).isZero();
    }

    @Test
    void a_full_batch_goes_out_without_waiting_for_the_linger() throws Exception {
        FakeSqsClient client = FakeSqsClient.acceptingAll();
        SqsActivitySink sink = lingering(client, Duration.ofMinutes(5));
        for (int i = 0; i < SqsActivitySink.MAX_EVENTS_PER_CALL; i++) {
            sink.accept(event());
        }
        assertThat(sink.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(client.calls).hasSize(1);
        assertThat(client.calls.get(0).entries()).hasSize(10);
        assertThat(eventCount(client.calls.get(0))).isEqualTo(SqsActivitySink.MAX_EVENTS_PER_CALL);
    }

    @Test
    void failed_calls_and_failed_entries_are_retried_until_sent() throws Exception {
        // Calls 1-3 throw (SQS unreachable); afterwards every second entry fails once (server-side, retryable).
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FakeSqsClient client = new FakeSqsClient((call, request) -> {
            if (call <= 3) {
                throw SdkClientException.create("connection refused");
            }
            return FakeSqsClient.ok(
                    request, e -> !failedOnce.add(e.messageBody()) || Integer.parseInt(e.id()) % 2 == 0);
        });
        SqsActivitySink sink = sink(client, 1000, null);
        Set<UUID> expected = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            ActivityEvent e = event();
            expected.add(e.requestId());
            sink.accept(e);
        }
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(requestIds(client.accepted)).isEqualTo(expected);
        assertThat(sink.stats().failedSendCalls()).isEqualTo(3);
        assertThat(sink.stats().dropped()).isZero();
    }

    @Test
    void accept_never_blocks_even_while_sqs_hangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeSqsClient client = new FakeSqsClient((call, request) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeSqsClient.ok(request, e -> true);
        });
        SqsActivitySink sink = sink(client, 10_000, null);
        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            sink.accept(event());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        release.countDown();
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(requestIds(client.accepted)).hasSize(5_000);
    }

    @Test
    void sqs_down_and_no_database_bounds_memory_and_counts_every_dropped_event() throws Exception {
        FakeSqsClient client = new FakeSqsClient((call, request) -> {
            throw SdkClientException.create("unreachable");
        });
        SqsActivitySink sink = sink(client, 20, null);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            sink.accept(event());
        }
        SqsActivitySink.Stats stats = sink.stats();
        // At most the buffer plus the one call's worth being retried is held; everything else is counted as dropped.
        int bound = 20 + SqsActivitySink.MAX_EVENTS_PER_CALL;
        assertThat(stats.buffered()).isLessThanOrEqualTo(20);
        assertThat(stats.pending()).isLessThanOrEqualTo(bound);
        assertThat(stats.dropped()).isGreaterThanOrEqualTo(n - bound);
        assertThat(stats.accepted()).isEqualTo(stats.sent() + stats.spilled() + stats.dropped() + stats.pending());
    }

    @Test
    void while_sqs_is_down_a_filling_buffer_is_written_directly_to_the_database() throws Exception {
        FakeSqsClient client = new FakeSqsClient((call, request) -> {
            throw SdkClientException.create("unreachable");
        });
        RecordingWriter writer = new RecordingWriter();
        SqsActivitySink sink = sink(client, 40, writer);
        Set<UUID> expected = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ActivityEvent e = event();
            expected.add(e.requestId());
            sink.accept(e);
            Thread.sleep(2);
        }
        await(() -> sink.stats().spilled() > 0, "a direct write");
        SqsActivitySink.Stats stats = sink.stats();
        assertThat(stats.sent()).isZero();
        assertThat(stats.accepted()).isEqualTo(stats.sent() + stats.spilled() + stats.dropped() + stats.pending());
        // The sink keeps spilling while the test reads, so judge one snapshot of what was written.
        List<ActivityEvent> written = List.copyOf(writer.written);
        assertThat(written).isNotEmpty().allSatisfy(e -> assertThat(expected).contains(e.requestId()));
        assertThat(new HashSet<>(written)).hasSameSizeAs(written);
    }

    @Test
    void entries_sqs_refuses_for_good_are_written_directly_not_retried_forever() throws Exception {
        FakeSqsClient client = new FakeSqsClient(
                (call, request) -> FakeSqsClient.respond(request, e -> e.id().equals("0") ? Boolean.TRUE : null));
        RecordingWriter writer = new RecordingWriter();
        SqsActivitySink sink = sink(client, 100, writer);
        for (int i = 0; i < 3; i++) {
            sink.accept(event());
            assertThat(sink.flush(Duration.ofSeconds(5))).isTrue();
        }
        // Each call carried one event, entry "0", which SQS refused as the sender's fault.
        assertThat(sink.stats().spilled()).isEqualTo(3);
        assertThat(writer.written).hasSize(3);
        assertThat(sink.stats().dropped()).isZero();
    }

    @Test
    void shutdown_writes_what_sqs_did_not_take_directly() throws Exception {
        FakeSqsClient client = new FakeSqsClient((call, request) -> {
            throw SdkClientException.create("unreachable");
        });
        RecordingWriter writer = new RecordingWriter();
        SqsActivitySink sink =
                new SqsActivitySink(client, "q", 1000, Duration.ofMillis(20), Duration.ofMillis(300), writer);
        for (int i = 0; i < 25; i++) {
            sink.accept(event());
        }
        sink.close();
        assertThat(writer.written).hasSize(25);
        assertThat(sink.stats().spilled()).isEqualTo(25);
        assertThat(sink.stats().pending()).isZero();
        sink.accept(event());
        assertThat(sink.stats().dropped())
                .as("after shutdown: counted, not silently lost")
                .isEqualTo(1);
    }
}
