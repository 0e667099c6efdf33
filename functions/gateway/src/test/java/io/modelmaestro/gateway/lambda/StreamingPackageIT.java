package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.gateway.support.TestDatabase;
import io.modelmaestro.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The streaming Lambda's deployment package started the way the Lambda Web Adapter starts it: the zip unpacked as
 * {@code /var/task}, its {@code run.sh} executed with the function's environment (Lambda mode, {@code AWS_LWA_PORT},
 * settings from the environment — here an embedded PostgreSQL of the test and direct activity writes), readiness
 * polled on {@code /health} like the adapter's {@code AWS_LWA_READINESS_CHECK_PATH}. A streamed chat completion must
 * deliver its first chunk while the (slow) fake upstream is still writing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingPackageIT {

    static final String ADMIN = "it-admin-token-0123456789abcdef";
    static final Duration INTERVAL = Duration.ofMillis(400);

    Path taskRoot;
    Process process;
    Path log;
    int port;
    FakeUpstream upstream;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    void launch() throws Exception {
        Path zip = Path.of(System.getProperty("maestro.stream.zip", "target/maestro-gateway-stream.zip"));
        assertThat(zip).as("the streaming package (mvn package)").exists();
        taskRoot = Files.createTempDirectory("lambda-task-");
        List<String> entries = unzip(zip, taskRoot);
        assertThat(entries).containsExactlyInAnyOrder("run.sh", "maestro-gateway.jar");
        taskRoot.resolve("run.sh").toFile().setExecutable(true);

        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("slow-model"), false, INTERVAL);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = taskRoot.resolve("process.log");
        ProcessBuilder pb = new ProcessBuilder(taskRoot.resolve("run.sh").toString())
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MAESTRO_") || k.equals("PORT") || k.equals("DATABASE_URL"));
        // What Lambda and the function configuration (infra-cdk ApiStack) put there.
        env.put("AWS_LAMBDA_FUNCTION_NAME", "maestro-stream");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_LWA_PORT", String.valueOf(port));
        env.put("AWS_LWA_READINESS_CHECK_PATH", "/health");
        env.put("AWS_LWA_INVOKE_MODE", "response_stream");
        env.put("DATABASE_URL", TestDatabase.freshJdbcUrl());
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("JWT_SECRET_KEY", "it-jwt-secret-that-is-long-enough-for-hs256-0123456789");
        env.put("MAESTRO_ENCRYPTION_KEY", "it-encryption-key");
        env.put("MAESTRO_ALLOWED_NETWORKS", "127.0.0.0/8");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        process = pb.start();
        awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (upstream != null) {
            upstream.close();
        }
        if (taskRoot != null) {
            try (Stream<Path> files = Files.walk(taskRoot)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static List<String> unzip(Path zip, Path into) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                assertThat(target.startsWith(into)).isTrue();
                if (!e.isDirectory()) {
                    Files.copy(in, target);
                    names.add(e.getName());
                }
            }
        }
        return names;
    }

    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("run.sh exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = send("GET", "/health", null, null);
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready on /health within " + timeout + ":\n" + Files.readString(log));
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Json.parse(r.body());
    }

    @Test
    void streams_the_first_chunk_before_the_upstream_has_finished() throws Exception {
        ok(send(
                "POST",
                "/admin/nodes",
                ADMIN,
                Json.writeString(Map.of(
                        "name",
                        "slow",
                        "code",
                        "slow",
                        "node_type",
                        "openai",
                        "base_url",
                        upstream.baseUrl() + "/v1"))));
        String token = ok(send("POST", "/admin/users", ADMIN, "{\"username\":\"ide\"}"))
                .get("token")
                .asText();

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow-model\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));

        List<Long> arrivals = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean done = false;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                arrivals.add((System.nanoTime() - start) / 1_000_000);
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                text.append(Json.parse(data).at("/choices/0/delta/content").asText(""));
            }
        }

        assertThat(done).isTrue();
        assertThat(text.toString()).isEqualTo(OpenAiWireFake.ANSWER);
        long first = arrivals.get(0);
        long last = arrivals.get(arrivals.size() - 1);
        // The upstream writes its chunks 400 ms apart: a buffered response would arrive all at once at the end.
        assertThat(last - first)
                .as("first chunk at %d ms, last at %d ms", first, last)
                .isGreaterThanOrEqualTo(3 * INTERVAL.toMillis());
        assertThat(arrivals.size()).isGreaterThanOrEqualTo(4);
    }
}
