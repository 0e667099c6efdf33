package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import io.modelmaestro.activity.sqs.ActivityQueue;
import io.modelmaestro.activity.sqs.SqsActivityConsumer;
import io.modelmaestro.activity.sqs.SqsActivityPoller;
import io.modelmaestro.activity.sqs.SqsActivitySink;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The activity-log pipeline end to end — gateway → {@code SqsActivitySink} → SQS → consumer → PostgreSQL — against an
 * SQS-compatible server given by the subclass (embedded ElasticMQ always; LocalStack where Docker exists). Each test
 * gets its own queue pair and database.
 */
abstract class ActivityPipelineContract {

    static final String CANARY = "PROMPT-CANARY-7f3a";
    static final AtomicInteger QUEUES = new AtomicInteger();

    static FakeUpstream upstream;

    final List<AutoCloseable> cleanUp = new ArrayList<>();

    /** The SQS-compatible endpoint to test against. */
    abstract String sqsEndpoint();

    @BeforeAll
    static void startUpstream() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanUp.size() - 1; i >= 0; i--) {
            cleanUp.get(i).close();
        }
    }

    /** A gateway with the SQS sink on a fresh queue pair; {@code poll} starts its local consumer loop. */
    Gateway gateway(boolean poll, Map<String, Object> more) {
        Map<String, Object> props = new HashMap<>();
        props.put("maestro.activity.sink", "sqs");
        props.put("maestro.activity.sqs.endpoint", sqsEndpoint());
        props.put("maestro.activity.sqs.region", "us-east-1");
        props.put("maestro.activity.sqs.local-credentials", true);
        props.put("maestro.activity.sqs.create-queues", true);
        props.put(
                "maestro.activity.sqs.queue-name",
                "activity-" + getClass().getSimpleName() + "-" + QUEUES.incrementAndGet());
        props.put("maestro.activity.sqs.visibility-timeout", "10s");
        props.put("maestro.activity.sqs.wait-time", "1s");
        props.put("maestro.activity.sqs.retry-delay", "0s");
        props.put("maestro.activity.sqs.poll", poll);
        props.putAll(more);
        Gateway gw = Gateway.start(props);
        cleanUp.add(gw);
        long node = gw.createNode("gpu-ollama", "gpu1", "ollama", upstream.baseUrl());
        gw.map("llama", "llama3.2:latest", node);
        return gw;
    }

    static HttpResponse<String> chat(Gateway gw, String token, boolean stream) {
        return gw.call(
                "POST",
                "/v1/chat/completions",
                token,
                "{\"model\":\"llama\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + CANARY + "\"}]}");
    }

    /** Sends {@code n} requests at once (half streamed) and checks each got its answer. */
    static void concurrentRequests(Gateway gw, String token, int n) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean stream = i % 2 == 0;
                answers.add(pool.submit(() -> chat(gw, token, stream)));
            }
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        }
    }

    static long rows(Gateway gw) {
        return gw.bean(ActivityLogRepository.class).count();
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static int depth(SqsClient client, String url) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Receives until {@code n} distinct messages are in hand (invisible for a minute), without deleting them. */
    /** Receives (and hides) messages until they carry {@code n} events in all. */
    static List<Message> receiveEvents(SqsClient client, String url, int n) throws InterruptedException {
        return receiveUntil(
                client,
                url,
                got -> got.stream()
                                .mapToInt(m ->
                                        ActivityEventJson.decodeAll(m.body()).size())
                                .sum()
                        >= n,
                n + " events");
    }

    /** Receives (and hides) {@code n} messages. */
    static List<Message> receiveMessages(SqsClient client, String url, int n) throws InterruptedException {
        return receiveUntil(client, url, got -> got.size() >= n, n + " messages");
    }

    private static List<Message> receiveUntil(
            SqsClient client,
            String url,
            java.util.function.Predicate<java.util.Collection<Message>> enough,
            String what)
            throws InterruptedException {
        Map<String, Message> got = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!enough.test(got.values())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("received " + got.size() + " messages, not " + what);
            }
            for (Message m : client.receiveMessage(r -> r.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .visibilityTimeout(60)
                            .messageAttributeNames("All"))
                    .messages()) {
                got.putIfAbsent(m.messageId(), m);
            }
        }
        return new ArrayList<>(got.values());
    }

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }

    static ActivityEvent event(UUID id) {
        return new ActivityEvent(
                id,
                null,
                "bob",
                "llama",
                null,
                null,
                "chat",
                "curl",
                "/v1/chat/completions",
                200,
                1,
                2,
                30,
                null,
                false,
                1,
                null,
                Instant.now());
    }

    @Test
    void n_concurrent_requests_leave_exactly_n_rows() throws Exception {
        Gateway gw = gateway(true, Map.of());
        String token = gw.createUser("alice");
        int n = 40;
        concurrentRequests(gw, token, n);

        SqsActivitySink sink = gw.bean(SqsActivitySink.class);
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        await(Duration.ofSeconds(60), () -> rows(gw) >= n, n + " rows");
        await(Duration.ofSeconds(30), () -> depth(queue.client(), queue.url()) == 0, "an empty queue");
        List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
        assertThat(rows).hasSize(n);
        assertThat(rows.stream().map(ActivityLogEntity::requestId).collect(Collectors.toSet()))
                .hasSize(n);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.username()).isEqualTo("alice");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.totalTokens()).isPositive();
            assertThat(r.errorMessage()).isNull();
        });
        assertThat(rows.stream().filter(ActivityLogEntity::streamed).count()).isEqualTo(n / 2);
        assertThat(sink.stats().sent()).isEqualTo(n);
        assertThat(sink.stats().dropped()).isZero();
        assertThat(sink.stats().spilled()).as("everything went through SQS").isZero();
        assertThat(gw.bean(SqsActivityPoller.class).stats().storedEvents()).isEqualTo(n);
    }

    @Test
    void a_consumer_that_sees_every_message_twice_still_leaves_n_rows() throws Exception {
        Gateway gw = gateway(false, Map.of());
        String token = gw.createUser("alice");
        int n = 25;
        concurrentRequests(gw, token, n);
        assertThat(gw.bean(SqsActivitySink.class).flush(Duration.ofSeconds(20))).isTrue();
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        SqsClient client = queue.client();
        SqsActivityConsumer consumer = gw.bean(SqsActivityConsumer.class);

        List<Message> messages = receiveEvents(client, queue.url(), n);
        // Packed: fewer messages than events (the sink lingers to fill a call).
        assertThat(messages).hasSizeLessThan(n);
        Set<UUID> ids = new HashSet<>();
        for (Message m : messages) {
            assertThat(m.body()).doesNotContain(CANARY).doesNotContain(token);
            List<ActivityEvent> events = ActivityEventJson.decodeAll(m.body());
            assertThat(m.messageAttributes()
                            .get(SqsActivitySink.EVENT_COUNT_ATTRIBUTE)
                            .stringValue())
                    .isEqualTo(Integer.toString(events.size()));
            events.forEach(e -> ids.add(e.requestId()));
        }
        assertThat(ids).hasSize(n);

        // The same batches processed twice, as after a lost delete or a Lambda retry.
        for (List<Message> batch : chunks(messages, 10)) {
            assertThat(consumer.processBatch(batch)).isEmpty();
            assertThat(consumer.processBatch(batch)).isEmpty();
        }
        assertThat(rows(gw)).isEqualTo(n);

        // And through the queue: every message redelivered, plus a second copy of each, consumed by the loop.
        for (List<Message> batch : chunks(messages, 10)) {
            List<SendMessageBatchRequestEntry> copies = new ArrayList<>();
            List<ChangeMessageVisibilityBatchRequestEntry> visible = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                copies.add(SendMessageBatchRequestEntry.builder()
                        .id("c" + i)
                        .messageBody(batch.get(i).body())
                        .build());
                visible.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id("v" + i)
                        .receiptHandle(batch.get(i).receiptHandle())
                        .visibilityTimeout(0)
                        .build());
            }
            assertThat(client.sendMessageBatch(r -> r.queueUrl(queue.url()).entries(copies))
                            .failed())
                    .isEmpty();
            assertThat(client.changeMessageVisibilityBatch(
                                    r -> r.queueUrl(queue.url()).entries(visible))
                            .failed())
                    .isEmpty();
        }
        SqsActivityPoller poller = new SqsActivityPoller(
                client, queue.url(), consumer, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5), null);
        cleanUp.add(poller);
        poller.start();
        long m = messages.size();
        await(Duration.ofSeconds(60), () -> poller.stats().deleted() >= 2 * m, "2m deletes");
        assertThat(depth(client, queue.url())).isZero();
        assertThat(poller.stats().deleted()).isEqualTo(2 * m);
        assertThat(poller.stats().storedEvents()).isEqualTo(2L * n);
        assertThat(rows(gw)).isEqualTo(n);
    }

    @Test
    void postgres_down_for_a_while_events_wait_in_the_queue_and_all_arrive() throws Exception {
        // A database of its own that this test stops and starts again (same port, same data directory).
        Path data = Files.createTempDirectory("maestro-pg-outage-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres[] pg = {
            EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start()
        };
        cleanUp.add(() -> pg[0].close());
        Map<String, Object> db = new HashMap<>();
        db.put("datasources.default.url", pg[0].getJdbcUrl("postgres", "postgres"));
        // Fail fast while the database is down, so a consumer that kept receiving would use up the receive count
        // (5) within the outage below and dead-letter good events: the test would catch it.
        db.put("datasources.default.connection-timeout", 300);
        db.put("datasources.default.validation-timeout", 250);
        Gateway gw = gateway(true, db);
        String token = gw.createUser("alice");
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        SqsActivityPoller poller = gw.bean(SqsActivityPoller.class);

        concurrentRequests(gw, token, 10);
        await(Duration.ofSeconds(60), () -> rows(gw) == 10, "10 rows before the outage");

        pg[0].close();
        int during = 20;
        concurrentRequests(gw, token, during); // the request path does not need the database
        assertThat(gw.bean(SqsActivitySink.class).flush(Duration.ofSeconds(20))).isTrue();
        await(Duration.ofSeconds(30), () -> poller.stats().failed() >= 1, "the consumer to fail a batch");
        Thread.sleep(8000); // the outage lasts a while
        assertThat(depth(queue.client(), queue.deadLetterUrl()))
                .as("an outage dead-letters nothing")
                .isZero();
        assertThat(depth(queue.client(), queue.url()))
                .as("the events wait in the queue (packed into messages)")
                .isBetween(1, during);
        assertThat(poller.stats().storedEvents()).isEqualTo(10);

        pg[0] = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        await(
                Duration.ofSeconds(90),
                () -> {
                    try {
                        return rows(gw) == 10 + during;
                    } catch (RuntimeException stillConnecting) {
                        return false;
                    }
                },
                "every event after the outage");
        await(Duration.ofSeconds(30), () -> depth(queue.client(), queue.url()) == 0, "an empty queue");
        assertThat(rows(gw)).isEqualTo(10 + during);
        assertThat(depth(queue.client(), queue.deadLetterUrl()))
                .as("nothing dead-lettered")
                .isZero();
        assertThat(poller.stats().databaseOutages()).isPositive();
    }

    @Test
    void a_trickle_of_messages_is_received_in_few_calls() throws Exception {
        Gateway gw = gateway(false, Map.of());
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        SqsClient client = queue.client();
        SqsActivityPoller poller = new SqsActivityPoller(
                client,
                queue.url(),
                gw.bean(SqsActivityConsumer.class),
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(5),
                Duration.ofMillis(400),
                null);
        cleanUp.add(poller);
        poller.start();
        int n = 20;
        for (int i = 0; i < n; i++) {
            String body = ActivityEventJson.encode(event(UUID.randomUUID()));
            client.sendMessage(r -> r.queueUrl(queue.url()).messageBody(body));
            Thread.sleep(50);
        }
        await(Duration.ofSeconds(20), () -> rows(gw) >= n, n + " rows");
        assertThat(rows(gw)).isEqualTo(n);
        // One message every 50 ms for a second: a poller that received again at once would make a receive (and a
        // delete) per message; lingering 400 ms after a part-full batch takes a handful.
        assertThat(poller.stats().receiveCalls())
                .as("receive calls for %d messages", n)
                .isLessThanOrEqualTo(n / 2);
    }

    @Test
    void a_poison_message_goes_to_the_dead_letter_queue_and_the_rest_of_its_batch_is_committed() throws Exception {
        Gateway gw = gateway(false, Map.of());
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        SqsClient client = queue.client();
        SqsActivityConsumer consumer = gw.bean(SqsActivityConsumer.class);

        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            // Eight messages in the format of producers before ADR 0018 (one object), one packed (an array of two).
            String body = i == 0
                    ? "[" + ActivityEventJson.encode(event(UUID.randomUUID())) + ","
                            + ActivityEventJson.encode(event(UUID.randomUUID())) + "]"
                    : ActivityEventJson.encode(event(UUID.randomUUID()));
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id("e" + i)
                    .messageBody(body)
                    .build());
        }
        String poisonBody = "{\"v\":1,\"request_id\":\"not-a-uuid\"";
        entries.add(
                4,
                SendMessageBatchRequestEntry.builder()
                        .id("poison")
                        .messageBody(poisonBody)
                        .build());
        var sent = client.sendMessageBatch(r -> r.queueUrl(queue.url()).entries(entries));
        assertThat(sent.failed()).isEmpty();
        String poisonId = sent.successful().stream()
                .filter(s -> s.id().equals("poison"))
                .findFirst()
                .orElseThrow()
                .messageId();

        // One batch of ten: only the poison message fails, the nine others (ten events) are committed.
        List<Message> batch = receiveMessages(client, queue.url(), 10);
        assertThat(consumer.processBatch(batch)).containsExactly(poisonId);
        assertThat(rows(gw)).isEqualTo(10);

        // Left in the queue (the nine deleted, as the loop does), it is redelivered until SQS dead-letters it.
        List<ChangeMessageVisibilityBatchRequestEntry> visible = new ArrayList<>();
        for (Message m : batch) {
            if (m.messageId().equals(poisonId)) {
                visible.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id("p")
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout(0)
                        .build());
            } else {
                client.deleteMessage(r -> r.queueUrl(queue.url()).receiptHandle(m.receiptHandle()));
            }
        }
        client.changeMessageVisibilityBatch(r -> r.queueUrl(queue.url()).entries(visible));
        SqsActivityPoller poller = new SqsActivityPoller(
                client, queue.url(), consumer, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5), null);
        cleanUp.add(poller);
        poller.start();

        String dlq = queue.deadLetterUrl();
        await(Duration.ofSeconds(60), () -> depth(client, dlq) == 1, "the poison message in the dead-letter queue");
        List<Message> dead = receiveMessages(client, dlq, 1);
        assertThat(dead.get(0).body()).isEqualTo(poisonBody);
        assertThat(depth(client, queue.url())).isZero();
        assertThat(poller.stats().poison())
                .as("received %s times by the loop", poller.stats().poison())
                .isGreaterThanOrEqualTo(4);
        assertThat(rows(gw)).isEqualTo(10);
    }
}
