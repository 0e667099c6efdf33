package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.MutableClock;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.jobs.HealthCheckJob;
import io.modelmaestro.jobs.JobSummary;
import io.modelmaestro.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Active health checks against fake Ollama nodes that go down and come back: the health state follows, routing avoids
 * the down node without even trying it, and returns to it once a check passes; passive failures and active checks
 * are one state; the history is bounded.
 */
class NodeHealthChecksTest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    static Gateway gw;
    static String token;

    @BeforeAll
    static void start() {
        gw = Gateway.start(Map.of("maestro.cooldown", "30s"), clock);
        token = gw.createUser("hank");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static FakeUpstream ollamaNode(String model) {
        FakeUpstream node = new FakeUpstream();
        OllamaWireFake.install(node, List.of(model));
        OpenAiWireFake.install(node, List.of(model), true);
        return node;
    }

    static OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    static ChatCompletion chat(String model) {
        return client().chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("hi")
                        .build());
    }

    static JsonNode health(long id) {
        HttpResponse<String> r = gw.admin("GET", "/admin/nodes/" + id + "/health", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static JsonNode listed(long id) {
        for (JsonNode n : Json.parse(gw.admin("GET", "/admin/nodes", null).body())) {
            if (n.get("id").asLong() == id) {
                return n;
            }
        }
        throw new AssertionError("node " + id + " not listed");
    }

    static int chats(FakeUpstream node) {
        return node.requests("/v1/chat/completions").size();
    }

    @Test
    void aDownNodeLeavesRotation_andComesBackAfterAPassingCheck() {
        try (FakeUpstream first = ollamaNode("m-down");
                FakeUpstream second = ollamaNode("m-down")) {
            long firstId = gw.createNode("hc-first", "hcfirst", "ollama", first.baseUrl(), 10, 100);
            long secondId = gw.createNode("hc-second", "hcsecond", "ollama", second.baseUrl(), 0, 100);
            assertThat(health(firstId).get("status").asText()).isEqualTo("unknown");

            JobSummary summary = gw.bean(HealthCheckJob.class).run();
            assertThat(summary.done()).isGreaterThanOrEqualTo(2);
            JsonNode h = health(firstId);
            assertThat(h.get("status").asText()).isEqualTo("healthy");
            assertThat(h.get("in_rotation").asBoolean()).isTrue();
            assertThat(h.get("last_latency_ms").isInt()).isTrue();
            assertThat(h.get("history")).hasSize(1);
            assertThat(h.get("history").get(0).get("ok").asBoolean()).isTrue();
            assertThat(h.get("history").get(0).get("trigger").asText()).isEqualTo("scheduled");
            assertThat(first.requests("/api/version")).hasSize(1);

            chat("m-down");
            assertThat(chats(first)).isEqualTo(1);

            first.setDown(true);
            gw.bean(HealthCheckJob.class).run();
            h = health(firstId);
            assertThat(h.get("status").asText()).isEqualTo("unhealthy");
            assertThat(h.get("in_rotation").asBoolean()).isFalse();
            assertThat(h.get("last_error").asText()).isNotBlank();
            JsonNode item = listed(firstId);
            assertThat(item.get("health_status").asText()).isEqualTo("unhealthy");
            assertThat(item.get("last_latency_ms").isInt()).isTrue();
            assertThat(item.get("last_error").asText()).isNotBlank();
            assertThat(listed(secondId).get("health_status").asText()).isEqualTo("healthy");

            // Out of rotation: the down node is not even tried (no failover attempt reaches it).
            int refusedBefore = first.refusedConnections();
            for (int i = 0; i < 3; i++) {
                assertThat(chat("m-down").model()).isEqualTo("m-down");
            }
            assertThat(chats(second)).isEqualTo(3);
            assertThat(first.refusedConnections()).isEqualTo(refusedBefore);

            // Back up, but out of rotation until a check passes.
            first.setDown(false);
            chat("m-down");
            assertThat(chats(second)).isEqualTo(4);
            assertThat(chats(first)).isEqualTo(1);

            HttpResponse<String> now = gw.admin("POST", "/admin/nodes/" + firstId + "/health-check", null);
            assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
            JsonNode result = Json.parse(now.body());
            assertThat(result.at("/result/outcome").asText()).isEqualTo("healthy");
            assertThat(result.at("/health/status").asText()).isEqualTo("healthy");

            chat("m-down");
            assertThat(chats(first)).isEqualTo(2);
            assertThat(chats(second)).isEqualTo(4);

            JsonNode history = health(firstId).get("history");
            assertThat(history).hasSize(3);
            assertThat(history.get(0).get("trigger").asText()).isEqualTo("manual");
            assertThat(history.get(0).get("ok").asBoolean()).isTrue();
            assertThat(history.get(1).get("ok").asBoolean()).isFalse();
            assertThat(history.get(1).get("error").asText()).isNotBlank();
            assertThat(history.get(2).get("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void passiveFailuresAndActiveChecksAreOneState() {
        try (FakeUpstream flaky = ollamaNode("m-flaky");
                FakeUpstream steady = ollamaNode("m-flaky")) {
            long flakyId = gw.createNode("hc-flaky", "hcflaky", "ollama", flaky.baseUrl(), 10, 100);
            gw.createNode("hc-steady", "hcsteady", "ollama", steady.baseUrl(), 0, 100);
            flaky.on(
                    "POST",
                    "/v1/chat/completions",
                    FakeUpstream.Reply.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));

            chat("m-flaky"); // fails over to the steady node; the flaky one cools down
            assertThat(chats(flaky)).isEqualTo(1);
            assertThat(chats(steady)).isEqualTo(1);
            JsonNode h = health(flakyId);
            assertThat(h.get("status").asText()).isEqualTo("cooling_down");
            assertThat(h.get("in_rotation").asBoolean()).isTrue();
            assertThat(Instant.parse(h.get("cooling_down_until").asText()))
                    .isEqualTo(clock.instant().plusSeconds(30));
            assertThat(listed(flakyId).get("cooling_down_until").isNull()).isFalse();

            chat("m-flaky"); // the cooling node goes last: the steady one answers first
            assertThat(chats(flaky)).isEqualTo(1);
            assertThat(chats(steady)).isEqualTo(2);

            // The node recovered: a passing active check ends the cooldown at once (no waiting 30 s).
            OpenAiWireFake.install(flaky, List.of("m-flaky"), true);
            HttpResponse<String> now = gw.admin("POST", "/admin/nodes/" + flakyId + "/health-check", "");
            assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
            h = health(flakyId);
            assertThat(h.get("status").asText()).isEqualTo("healthy");
            assertThat(h.get("cooling_down_until").isNull()).isTrue();
            chat("m-flaky");
            assertThat(chats(flaky)).isEqualTo(2);

            // A failing active check also cools the node down, and takes it out of rotation.
            flaky.setDown(true);
            gw.admin("POST", "/admin/nodes/" + flakyId + "/health-check", "");
            h = health(flakyId);
            assertThat(h.get("status").asText()).isEqualTo("unhealthy");
            assertThat(h.get("cooling_down_until").isNull()).isFalse();
            flaky.setDown(false);
        }
    }

    @Test
    void theHistoryKeepsTheLastTwentyChecks_andUnknownNodesAre404() {
        try (FakeUpstream node = ollamaNode("m-history")) {
            long id = gw.createNode("hc-history", "hchistory", "ollama", node.baseUrl());
            for (int i = 0; i < 23; i++) {
                clock.advance(Duration.ofSeconds(1));
                HttpResponse<String> r = gw.admin("POST", "/admin/nodes/" + id + "/health-check", null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            JsonNode history = health(id).get("history");
            assertThat(history).hasSize(20);
            assertThat(Instant.parse(history.get(0).get("checked_at").asText())).isEqualTo(clock.instant());
            assertThat(node.requests("/api/version")).hasSize(23);
        }
        HttpResponse<String> missing = gw.admin("GET", "/admin/nodes/999999/health", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(gw.admin("POST", "/admin/nodes/999999/health-check", null).statusCode())
                .isEqualTo(404);
    }
}
