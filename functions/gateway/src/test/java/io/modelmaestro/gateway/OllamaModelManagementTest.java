package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ollama4j.Ollama;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ollama's model management through the gateway: admin token only, one named Ollama node at a time (never all),
 * model names that cannot become paths, and pull progress relayed line by line while the node is still pulling.
 */
class OllamaModelManagementTest {

    static final Duration PULL_INTERVAL = Duration.ofMillis(400);

    static FakeUpstream gpu1;
    static FakeUpstream gpu2;
    static FakeUpstream vllm;
    static Gateway gw;
    static String userToken;

    @BeforeAll
    static void start() {
        gpu1 = new FakeUpstream();
        gpu2 = new FakeUpstream();
        vllm = OpenAiWireFake.install(new FakeUpstream(), List.of("Qwen/Qwen2.5-Coder-32B"), false);
        gw = Gateway.start();
        gw.createNode("gpu-one", "gpu1", "ollama", gpu1.baseUrl());
        gw.createNode("gpu-two", "gpu2", "ollama", gpu2.baseUrl());
        gw.createNode("vllm-box", "vllm1", "openai", vllm.baseUrl() + "/v1");
        gw.map("llama", "llama3.2:latest");
        userToken = gw.createUser("mallory");
    }

    @BeforeEach
    void fresh() {
        for (FakeUpstream node : List.of(gpu1, gpu2)) {
            node.reset();
            OllamaWireFake.install(node, List.of("llama3.2:latest"), Duration.ofMillis(5), PULL_INTERVAL);
        }
        vllm.reset();
        OpenAiWireFake.install(vllm, List.of("Qwen/Qwen2.5-Coder-32B"), false);
    }

    @AfterAll
    static void stop() {
        gw.close();
        gpu1.close();
        gpu2.close();
        vllm.close();
    }

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpRequest request(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        try {
            return HTTP.send(request(method, path, token, body), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int nodeHits() {
        return gpu1.requests().size() + gpu2.requests().size() + vllm.requests().size();
    }

    static Ollama adminClient() {
        Ollama ollama = new Ollama(gw.baseUrl());
        ollama.setBearerAuth(Gateway.ADMIN_TOKEN);
        ollama.setRequestTimeoutSeconds(30);
        return ollama;
    }

    @Test
    void pull_progressReachesTheClientLineByLine_whileTheNodeIsStillPulling() throws Exception {
        record Arrival(String line, long nanos) {}
        List<Arrival> arrivals = new ArrayList<>();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> response = HTTP.send(
                request(
                        "POST",
                        "/api/pull",
                        Gateway.ADMIN_TOKEN,
                        "{\"model\":\"llama3.2:1b\",\"node\":\"gpu1\",\"insecure\":true}"),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                arrivals.add(new Arrival(line, System.nanoTime() - started));
            }
        }

        assertThat(arrivals).hasSize(8);
        assertThat(Json.parse(arrivals.get(0).line()).get("status").asText()).isEqualTo("pulling manifest");
        assertThat(Json.parse(arrivals.get(2).line()).get("completed").asInt()).isEqualTo(40);
        assertThat(Json.parse(arrivals.get(7).line()).get("status").asText()).isEqualTo("success");
        // The node spends 7 intervals (2.8 s) writing; the first line was in the client's hands long before the end.
        long spread = arrivals.get(7).nanos() - arrivals.get(0).nanos();
        assertThat(Duration.ofNanos(spread)).isGreaterThan(PULL_INTERVAL.multipliedBy(5));
        assertThat(Duration.ofNanos(arrivals.get(1).nanos() - arrivals.get(0).nanos()))
                .isGreaterThan(PULL_INTERVAL.dividedBy(2));

        // Only the named node pulled, with only the fields a pull needs ("insecure" is never forwarded).
        assertThat(gpu1.requests("/api/pull")).hasSize(1);
        JsonNode sent = Json.parse(gpu1.requests("/api/pull").get(0).body());
        assertThat(sent.get("model").asText()).isEqualTo("llama3.2:1b");
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.has("insecure")).isFalse();
        assertThat(sent.has("node")).isFalse();
        assertThat(gpu2.requests()).isEmpty();
    }

    @Test
    void ollama4j_pullsAndDeletes_onThePinnedNodeOnly() throws Exception {
        Ollama ollama = adminClient();
        ollama.pullModel("node:gpu2:llama");
        // "llama" is a display name: the node pulls its real model.
        assertThat(Json.parse(gpu2.requests("/api/pull").get(0).body())
                        .get("model")
                        .asText())
                .isEqualTo("llama3.2:latest");

        ollama.deleteModel("node:gpu2:qwen3:0.6b", false);
        List<FakeUpstream.Recorded> deletes = gpu2.requests("/api/delete");
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).method()).isEqualTo("DELETE");
        assertThat(Json.parse(deletes.get(0).body()).get("model").asText()).isEqualTo("qwen3:0.6b");
        assertThat(gpu1.requests()).isEmpty();

        gw.flushActivity();
        List<AuditLogEntity> audit = gw.bean(AuditLogRepository.class).findAllOrderByIdDesc();
        assertThat(audit).extracting(AuditLogEntity::action).contains("model.pull", "model.delete");
        AuditLogEntity delete = audit.stream()
                .filter(a -> a.action().equals("model.delete"))
                .findFirst()
                .orElseThrow();
        assertThat(delete.performedBy()).isEqualTo("admin");
        assertThat(delete.details()).contains("qwen3:0.6b").contains("gpu2");
    }

    @Test
    void pull_withoutStreaming_answersOnce() {
        HttpResponse<String> r =
                call("POST", "/api/pull", Gateway.ADMIN_TOKEN, "{\"name\":\"node:gpu1:llama3.2:1b\",\"stream\":false}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("status").asText()).isEqualTo("success");
        assertThat(Json.parse(gpu1.requests("/api/pull").get(0).body())
                        .get("stream")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void copy_create_and_push_reachTheNamedNode() {
        HttpResponse<String> copy = call(
                "POST",
                "/api/copy",
                Gateway.ADMIN_TOKEN,
                "{\"source\":\"node:gpu1:llama\",\"destination\":\"my-llama:v2\"}");
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(200);
        JsonNode copied = Json.parse(gpu1.requests("/api/copy").get(0).body());
        assertThat(copied.get("source").asText()).isEqualTo("llama3.2:latest");
        assertThat(copied.get("destination").asText()).isEqualTo("my-llama:v2");

        HttpResponse<String> create = call(
                "POST",
                "/api/create",
                Gateway.ADMIN_TOKEN,
                "{\"model\":\"terse\",\"node\":\"gpu1\",\"from\":\"llama\",\"system\":\"Be brief.\","
                        + "\"parameters\":{\"temperature\":0.2},\"stream\":true}");
        assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
        assertThat(create.body()
                        .lines()
                        .toList()
                        .get(create.body().lines().toList().size() - 1))
                .contains("success");
        JsonNode created = Json.parse(gpu1.requests("/api/create").get(0).body());
        assertThat(created.get("model").asText()).isEqualTo("terse");
        assertThat(created.get("from").asText()).isEqualTo("llama3.2:latest");
        assertThat(created.get("system").asText()).isEqualTo("Be brief.");
        assertThat(created.at("/parameters/temperature").asDouble()).isEqualTo(0.2);

        HttpResponse<String> push =
                call("POST", "/api/push", Gateway.ADMIN_TOKEN, "{\"model\":\"terse\",\"node\":\"gpu1\"}");
        assertThat(push.statusCode()).as(push.body()).isEqualTo(200);
        assertThat(gpu1.requests("/api/push")).hasSize(1);
        assertThat(gpu2.requests()).isEmpty();
    }

    static Stream<Arguments> badNames() {
        List<String> names = List.of(
                "../../etc/passwd",
                "a/b",
                "node:gpu1:../../etc/passwd",
                "node:gpu1:a/b",
                "llama3.2:../../x",
                "..",
                "x..y",
                "registry.example.com/library/llama3",
                "a\\\\b",
                "-rf",
                "llama:tag:extra",
                "%2e%2e%2fetc",
                "");
        return names.stream()
                .flatMap(name -> Stream.of(
                        Arguments.of("POST", "/api/pull", "{\"model\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of("POST", "/api/push", "{\"model\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of("DELETE", "/api/delete", "{\"model\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of("POST", "/api/create", "{\"model\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of(
                                "POST",
                                "/api/create",
                                "{\"model\":\"ok\",\"from\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of(
                                "POST",
                                "/api/copy",
                                "{\"source\":\"llama\",\"destination\":\"" + name + "\",\"node\":\"gpu1\"}"),
                        Arguments.of(
                                "POST",
                                "/api/copy",
                                "{\"source\":\"" + name + "\",\"destination\":\"ok\",\"node\":\"gpu1\"}")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badNames")
    void pathLikeNames_areRefusedWith400_andNeverReachANode(String method, String path, String body) {
        HttpResponse<String> r = call(method, path, Gateway.ADMIN_TOKEN, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Json.parse(r.body()).get("error").asText()).isNotBlank();
        assertThat(nodeHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete"})
    void userTokens_getA403_andNoToken_getsA401(String path) {
        String method = path.equals("/api/delete") ? "DELETE" : "POST";
        String body = "{\"model\":\"node:gpu1:llama3.2:1b\",\"source\":\"llama\",\"destination\":\"x\"}";
        HttpResponse<String> user = call(method, path, userToken, body);
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(Json.parse(user.body()).get("error").asText()).isNotBlank();
        HttpResponse<String> none = call(method, path, null, body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Json.parse(none.body()).get("error").asText()).isNotBlank();
        assertThat(nodeHits()).isZero();
    }

    @Test
    void management_needsOneOllamaNode_andIsNeverBroadcast() {
        Map<String, Integer> cases = Map.of(
                "{\"model\":\"llama3.2:1b\"}", 400,
                "{\"model\":\"llama3.2:1b\",\"node\":\"nosuch\"}", 404,
                "{\"model\":\"node:nosuch:llama3.2:1b\"}", 404,
                "{\"model\":\"llama3.2:1b\",\"node\":\"vllm1\"}", 400,
                "{\"model\":\"node:gpu1:llama3.2:1b\",\"node\":\"gpu2\"}", 400,
                "{\"model\":\"llama3.2:1b\",\"node\":7}", 400,
                "{\"model\":\"node:gpu1:\"}", 400);
        cases.forEach((body, status) -> {
            HttpResponse<String> r = call("POST", "/api/pull", Gateway.ADMIN_TOKEN, body);
            assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(status);
            assertThat(Json.parse(r.body()).get("error").asText()).isNotBlank();
        });
        HttpResponse<String> files = call(
                "POST",
                "/api/create",
                Gateway.ADMIN_TOKEN,
                "{\"model\":\"x\",\"node\":\"gpu1\",\"files\":{\"model.gguf\":\"sha256:../../../etc/passwd\"}}");
        assertThat(files.statusCode()).isEqualTo(400);
        assertThat(nodeHits()).isZero();
    }

    @Test
    void aNodeError_isPassedOnInOllamasShape() {
        gpu1.on("DELETE", "/api/delete", r -> FakeUpstream.Reply.json(404, "{\"error\":\"model 'gone' not found\"}"));
        HttpResponse<String> r = call("DELETE", "/api/delete", Gateway.ADMIN_TOKEN, "{\"model\":\"node:gpu1:gone\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.parse(r.body()).get("error").asText()).contains("model 'gone' not found");
    }
}
