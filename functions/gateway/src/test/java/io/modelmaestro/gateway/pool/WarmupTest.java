package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.jobs.JobSummary;
import io.modelmaestro.jobs.ModelDiscoveryJob;
import io.modelmaestro.jobs.WarmupJob;
import io.modelmaestro.json.Json;
import io.modelmaestro.pool.WarmupService;
import io.modelmaestro.routing.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warmup loads a configured model only on the nodes discovery saw it on, never asks a node for a model it lacks, and
 * leaves a node alone while it serves a client stream.
 */
class WarmupTest {

    static Gateway gw;
    static String token;
    static FakeUpstream slow;
    static FakeUpstream other;
    static long slowId;
    static long otherId;

    @BeforeAll
    static void start() {
        slow = new FakeUpstream();
        // Streams from this node take a few seconds: one line every 400 ms.
        OllamaWireFake.install(slow, List.of("warm-a:1b"), Duration.ofMillis(400), Duration.ofMillis(5));
        other = new FakeUpstream();
        OllamaWireFake.install(other, List.of("warm-b:1b"));
        gw = Gateway.start();
        token = gw.createUser("jill");
        slowId = gw.createNode("warm-slow", "warmslow", "ollama", slow.baseUrl());
        otherId = gw.createNode("warm-other", "warmother", "ollama", other.baseUrl());
    }

    @AfterAll
    static void stop() {
        gw.close();
        slow.close();
        other.close();
    }

    static List<String> warmedModels(FakeUpstream node) {
        return node.requests("/api/generate").stream()
                .map(r -> Json.parse(r.body()))
                .filter(b -> b.path("prompt").asText("x").isEmpty())
                .map(b -> b.path("model").asText())
                .toList();
    }

    static WarmupService.Result resultFor(JobSummary summary, long nodeId) {
        return summary.results().stream()
                .filter(r -> r instanceof WarmupService.Result w && w.nodeId() == nodeId)
                .map(WarmupService.Result.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no result for node " + nodeId + " in " + summary));
    }

    static void enableWarmup(long id) {
        HttpResponse<String> r = gw.admin(
                "PATCH",
                "/admin/nodes/" + id + "/warmup",
                "{\"enabled\":true,\"models\":[\"warm-a:1b\",\"warm-b:1b\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(body.get("models")).extracting(JsonNode::asText).containsExactly("warm-a:1b", "warm-b:1b");
    }

    @Test
    void warmupHitsOnlyNodesThatHaveTheModel_andSkipsABusyNode() throws Exception {
        enableWarmup(slowId);
        enableWarmup(otherId);
        // Never discovered: nothing is requested (the gateway does not know what the nodes have).
        JobSummary blind = gw.bean(WarmupJob.class).run();
        assertThat(resultFor(blind, slowId).outcome()).isEqualTo("skipped");
        assertThat(warmedModels(slow)).isEmpty();
        assertThat(warmedModels(other)).isEmpty();

        gw.bean(ModelDiscoveryJob.class).run();
        JobSummary first = gw.bean(WarmupJob.class).run();
        assertThat(warmedModels(slow)).containsExactly("warm-a:1b");
        assertThat(warmedModels(other)).containsExactly("warm-b:1b");
        WarmupService.Result slowResult = resultFor(first, slowId);
        assertThat(slowResult.outcome()).isEqualTo("warmed");
        assertThat(slowResult.warmed()).containsExactly("warm-a:1b");
        assertThat(slowResult.notOnNode()).containsExactly("warm-b:1b");
        JsonNode load = Json.parse(slow.requests("/api/generate").get(0).body());
        assertThat(load.get("keep_alive").asText()).isNotBlank();
        assertThat(load.get("stream").asBoolean()).isFalse();

        // A client stream on the slow node: warmup leaves that node alone, the other one is warmed.
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest chat = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/chat"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"warm-a:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<Stream<String>> streaming = http.send(chat, HttpResponse.BodyHandlers.ofLines());
        assertThat(streaming.statusCode()).isEqualTo(200);
        Iterator<String> lines = streaming.body().iterator();
        assertThat(lines.next()).contains("warm-a:1b");
        Router router = gw.bean(Router.class);
        assertThat(router.inFlight().count(slowId)).isEqualTo(1);
        HttpResponse<String> health = gw.admin("GET", "/admin/nodes/" + slowId + "/health", null);
        assertThat(Json.parse(health.body()).get("in_flight_streams").asInt()).isEqualTo(1);

        JobSummary busy = gw.bean(WarmupJob.class).run();
        WarmupService.Result skipped = resultFor(busy, slowId);
        assertThat(skipped.outcome()).isEqualTo("skipped");
        assertThat(skipped.reason()).contains("stream");
        assertThat(warmedModels(slow)).hasSize(1);
        assertThat(warmedModels(other)).hasSize(2);

        // The stream ends: the node is free again and the next run warms it.
        int rest = 0;
        while (lines.hasNext()) {
            lines.next();
            rest++;
        }
        assertThat(rest).isPositive();
        CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
            while (router.inFlight().count(slowId) != 0) {
                Thread.onSpinWait();
            }
        });
        idle.get(5, TimeUnit.SECONDS);
        gw.bean(WarmupJob.class).run();
        assertThat(warmedModels(slow)).containsExactly("warm-a:1b", "warm-a:1b");
    }

    @Test
    void warmupSettingsAreValidated() {
        long id = gw.createNode("warm-settings", "warmsettings", "ollama", other.baseUrl());
        HttpResponse<String> bad = gw.admin("PATCH", "/admin/nodes/" + id + "/warmup", "{\"models\":\"warm-b:1b\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("models");
        assertThat(gw.admin("PATCH", "/admin/nodes/" + id + "/warmup", "{\"enabled\":\"yes\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(gw.admin("PATCH", "/admin/nodes/" + id + "/warmup", "{\"models\":[\"a b\"]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(gw.admin("PATCH", "/admin/nodes/999999/warmup", "{\"enabled\":true}")
                        .statusCode())
                .isEqualTo(404);

        HttpResponse<String> set =
                gw.admin("PATCH", "/admin/nodes/" + id + "/warmup", "{\"enabled\":true,\"models\":[\"x:1b\"]}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        // Absent fields keep their value.
        HttpResponse<String> off = gw.admin("PATCH", "/admin/nodes/" + id + "/warmup", "{\"enabled\":false}");
        JsonNode body = Json.parse(off.body());
        assertThat(body.get("enabled").asBoolean()).isFalse();
        assertThat(body.get("models")).extracting(JsonNode::asText).containsExactly("x:1b");
        JsonNode get = Json.parse(
                gw.admin("GET", "/admin/nodes/" + id + "/warmup", null).body());
        assertThat(get.get("enabled").asBoolean()).isFalse();
        assertThat(get.get("models")).extracting(JsonNode::asText).containsExactly("x:1b");
        JsonNode node = Json.parse(gw.admin("GET", "/admin/nodes/" + id, null).body());
        assertThat(node.get("warmup_enabled").asBoolean()).isFalse();
        gw.admin("DELETE", "/admin/nodes/" + id, null);
    }
}
