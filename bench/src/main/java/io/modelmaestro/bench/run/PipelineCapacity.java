package io.modelmaestro.bench.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.sqs.SqsActivitySink;
import io.modelmaestro.json.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The activity pipeline's capacity, apart from the gateway's request rate: the product's own producer ({@link
 * SqsActivitySink}, packing as in ADR 0018) offers events at a fixed rate, above what the gateway can serve here, into
 * the gateway's embedded queue ({@code EMBEDDED_SQS_PORT}); the gateway's consumer stores them in its PostgreSQL, where
 * the rows are counted every 100 ms. Everything after the producer is the gateway's own path (queue, poller, batch
 * insert); only the requests are left out.
 */
final class PipelineCapacity {

    private static final long SECOND = 1_000_000_000L;

    private PipelineCapacity() {}

    static ObjectNode run(ActivityDb db, String sqsEndpoint, int events, int ratePerSecond) throws Exception {
        try (SqsClient client = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(sqsEndpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String url =
                    client.getQueueUrl(r -> r.queueName("maestro-activity")).queueUrl();
            // A buffer that holds the whole run: a backlog waits in the producer or the queue, none is dropped.
            SqsActivitySink sink = new SqsActivitySink(
                    client,
                    url,
                    Math.max(events, 50_000),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200),
                    null);
            try {
                // The harness's own JVM compiles the producer first (a fifth of the events at a quarter of the rate).
                offer(db, sink, events / 5, Math.max(1, ratePerSecond / 4));
                return offer(db, sink, events, ratePerSecond);
            } finally {
                sink.close();
            }
        }
    }

    private static ObjectNode offer(ActivityDb db, SqsActivitySink sink, int events, int ratePerSecond)
            throws Exception {
        long rows0 = db.count();
        long dropped0 = sink.stats().dropped();
        long t0 = System.nanoTime();
        long period = SECOND / ratePerSecond;
        Thread producer = Thread.ofPlatform().name("pipeline-producer").start(() -> {
            for (int i = 0; i < events; i++) {
                long wait = t0 + i * period - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                sink.accept(event(i));
            }
        });
        List<long[]> samples = new ArrayList<>(); // t ns, rows
        long rows = 0;
        long lastChange = 0;
        long deadline = t0 + 180 * SECOND;
        // Until every event is a row, or nothing moved for 10 s.
        while (rows < events && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = System.nanoTime() - t0;
            long r = db.count() - rows0;
            if (r != rows) {
                lastChange = now;
            } else if (now - lastChange > 10 * SECOND && !producer.isAlive()) {
                break;
            }
            rows = r;
            samples.add(new long[] {now, rows});
        }
        producer.join();
        double peak = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                if (samples.get(j)[0] - samples.get(i)[0] >= SECOND) {
                    long[] a = samples.get(i);
                    long[] c = samples.get(j);
                    peak = Math.max(peak, (c[1] - a[1]) * 1e9 / (c[0] - a[0]));
                    break;
                }
            }
        }
        ObjectNode out = Json.object();
        out.put("events", events);
        out.put("offered_per_s", ratePerSecond);
        out.put("offered_s", Scenarios.round3(events / (double) ratePerSecond));
        out.put("rows", rows);
        out.put("dropped_by_producer", sink.stats().dropped() - dropped0);
        out.put("seconds_to_last_row", Scenarios.round3(lastChange / 1e9));
        out.put("persisted_per_s", lastChange > 0 ? Math.round(rows * 1e9 / lastChange) : 0);
        out.put("persisted_per_s_peak_1s", Math.round(peak));
        out.put("parity", rows == events ? "exact" : rows + " rows for " + events + " events");
        return out;
    }

    private static ActivityEvent event(int i) {
        return new ActivityEvent(
                UUID.randomUUID(),
                null,
                "bench-pipeline",
                "bench-model",
                null,
                "mock",
                "chat",
                "bench",
                "/v1/chat/completions",
                200,
                12 + (i % 7),
                40 + (i % 13),
                3,
                null,
                false,
                1,
                null,
                Instant.now());
    }
}
