package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.modelmaestro.activity.sqs.SqsActivityPoller;
import io.modelmaestro.gateway.local.LocalSettings;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local runtime's activity queue: embedded ElasticMQ by default, {@code SQS_QUEUE_URL}/{@code SQS_ENDPOINT}. */
class LocalActivityQueueTest {

    Path dataDir;
    FakeUpstream upstream;

    @AfterEach
    void cleanUp() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Running(ApplicationContext context, LocalSettings settings, Map<String, Object> props)
            implements AutoCloseable {
        String baseUrl() {
            return "http://127.0.0.1:" + context.getBean(EmbeddedServer.class).getPort();
        }

        @Override
        public void close() {
            context.close();
            settings.stopEmbedded();
        }
    }

    static Running start(Map<String, String> env) {
        LocalSettings settings = new LocalSettings(env::get);
        Map<String, Object> props = settings.resolve();
        props.put("micronaut.server.port", -1);
        ApplicationContext context = Micronaut.build(new String[0])
                .mainClass(LocalMain.class)
                .properties(props)
                .banner(false)
                .start();
        return new Running(context, settings, props);
    }

    @Test
    void requests_are_logged_through_the_embedded_queue_and_shutdown_drains_it() throws Exception {
        dataDir = Files.createTempDirectory(
                "maestro-local-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
        Map<String, String> env = new HashMap<>();
        env.put("MAESTRO_DATA_DIR", dataDir.toString());
        env.put("OLLAMA_BASE_URL", upstream.baseUrl());
        int sqsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            sqsPort = free.getLocalPort();
        }
        env.put("EMBEDDED_SQS_PORT", Integer.toString(sqsPort));
        int n = 12;
        try (Running first = start(env)) {
            assertThat(first.props())
                    .containsEntry("maestro.activity.sink", "sqs")
                    .containsEntry("maestro.activity.sqs.create-queues", true)
                    .containsEntry("maestro.activity.sqs.poll", true);
            assertThat(first.props()).containsEntry("maestro.activity.sqs.endpoint", "http://127.0.0.1:" + sqsPort);
            assertThat(first.context().containsBean(SqsActivityPoller.class)).isTrue();
            String admin = Files.readString(dataDir.resolve("admin-token")).strip();
            LocalRuntimeTest.call(
                    "POST",
                    first.baseUrl() + "/admin/model-mappings",
                    admin,
                    "{\"display_name\":\"llama\",\"real_name\":\"llama3.2:latest\"}");
            HttpResponse<String> user =
                    LocalRuntimeTest.call("POST", first.baseUrl() + "/admin/users", admin, "{\"username\":\"zoe\"}");
            String token = Json.parse(user.body()).get("token").asText();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = LocalRuntimeTest.call(
                        "POST",
                        first.baseUrl() + "/v1/chat/completions",
                        token,
                        "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            // Closed at once: what is still in the (in-memory) queue must be consumed before it goes away.
        }
        env.remove("EMBEDDED_SQS_PORT"); // the default again: a free port
        try (Running second = start(env)) {
            ActivityLogRepository repository = second.context().getBean(ActivityLogRepository.class);
            ActivityPipelineContract.await(Duration.ofSeconds(5), () -> repository.count() >= n, n + " rows");
            assertThat(repository.count()).isEqualTo(n);
        }
    }

    @Test
    void sqs_queue_url_and_endpoint_point_the_runtime_at_another_queue() {
        Map<String, String> env = new HashMap<>();
        env.put("MAESTRO_DATA_DIR", System.getProperty("java.io.tmpdir") + "/maestro-sqs-env-test");
        env.put("DATABASE_URL", "jdbc:postgresql://localhost/x");
        env.put("SQS_QUEUE_URL", "http://localstack:4566/000000000000/activity");
        env.put("SQS_ENDPOINT", "http://localstack:4566");
        env.put("AWS_REGION", "eu-west-1");
        Map<String, Object> props = new LocalSettings(env::get).resolve();
        assertThat(props)
                .containsEntry("maestro.activity.sink", "sqs")
                .containsEntry("maestro.activity.sqs.queue-url", "http://localstack:4566/000000000000/activity")
                .containsEntry("maestro.activity.sqs.endpoint", "http://localstack:4566")
                .containsEntry("maestro.activity.sqs.region", "eu-west-1")
                .containsEntry("maestro.activity.sqs.local-credentials", true)
                .containsEntry("maestro.activity.sqs.poll", true)
                .doesNotContainKey("maestro.activity.sqs.create-queues");

        // Real SQS: the SDK's credential chain, the default region, no endpoint override.
        env.remove("SQS_ENDPOINT");
        env.remove("AWS_REGION");
        env.put("SQS_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/activity");
        props = new LocalSettings(env::get).resolve();
        assertThat(props)
                .containsEntry("maestro.activity.sqs.region", "us-east-1")
                .doesNotContainKey("maestro.activity.sqs.endpoint")
                .doesNotContainKey("maestro.activity.sqs.local-credentials");

        // An endpoint alone: the queue pair is created there, nothing embedded is started.
        env.remove("SQS_QUEUE_URL");
        env.put("SQS_ENDPOINT", "http://localstack:4566");
        env.put("AWS_ACCESS_KEY_ID", "test");
        props = new LocalSettings(env::get).resolve();
        assertThat(props)
                .containsEntry("maestro.activity.sqs.endpoint", "http://localstack:4566")
                .containsEntry("maestro.activity.sqs.create-queues", true)
                .containsEntry("maestro.activity.sqs.local-credentials", false)
                .doesNotContainKey("maestro.activity.sqs.queue-url");
    }
}
