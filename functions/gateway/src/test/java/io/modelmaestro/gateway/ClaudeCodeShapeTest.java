package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.gateway.support.SseEvents;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request shaped like Claude Code's (src/test/resources/claude-code-request.json: system blocks with the billing
 * line and cache_control, 24 tools with JSON schemas, thinking, context_management, metadata, a thinking + tool_use
 * turn and its tool_result), sent the way Claude Code sends it (under /claude, with anthropic-beta and its
 * User-Agent). Through an Ollama node it succeeds with only what Ollama can use; through an Anthropic node it arrives
 * intact, every field.
 */
class ClaudeCodeShapeTest {

    static final String BETA = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27";
    static final String VERSION = "2023-06-01";
    static final String NODE_KEY = "sk-ant-claude-code-node";

    static FakeUpstream ollama;
    static FakeUpstream claude;
    static Gateway gw;
    static String token;

    @BeforeAll
    static void start() {
        ollama = OpenAiWireFake.install(new FakeUpstream(), List.of("qwen3-coder:30b"), true);
        claude = AnthropicWireFake.install(new FakeUpstream(), List.of("claude-opus-4-1"));
        gw = Gateway.start();
        long o = gw.createNode("gpu-ollama", "gpu1", "ollama", ollama.baseUrl());
        String node = Json.writeString(Map.of(
                "name",
                "anthropic",
                "code",
                "ant",
                "node_type",
                "anthropic",
                "base_url",
                claude.baseUrl(),
                "api_key",
                NODE_KEY));
        long a = Json.parse(gw.admin("POST", "/admin/nodes", node).body())
                .get("id")
                .asLong();
        gw.map("qwen-coder", "qwen3-coder:30b", o);
        gw.map("opus", "claude-opus-4-1", a);
        token = gw.createUser("claude-code");
    }

    @AfterAll
    static void stop() {
        gw.close();
        ollama.close();
        claude.close();
    }

    static ObjectNode request(String model, boolean stream) throws IOException {
        try (InputStream in = ClaudeCodeShapeTest.class.getResourceAsStream("/claude-code-request.json")) {
            ObjectNode body = (ObjectNode) Json.parse(in.readAllBytes());
            body.put("model", model);
            body.put("stream", stream);
            return body;
        }
    }

    static HttpResponse<String> send(ObjectNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/claude/v1/messages"))
                .header("x-api-key", token)
                .header("anthropic-version", VERSION)
                .header("anthropic-beta", BETA)
                .header("anthropic-dangerous-direct-browser-access", "true")
                .header("x-app", "cli")
                .header("User-Agent", "claude-cli/2.1.37 (external, cli)")
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.writeString(body)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void through_an_ollama_node_it_succeeds_with_what_ollama_can_use() throws Exception {
        ObjectNode body = request("qwen-coder", true);

        HttpResponse<String> r = send(body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ArrayNode events = SseEvents.parse(r.body());
        SseEvents.assertAnthropicSequence(events);
        assertThat(SseEvents.text(events)).startsWith("The tool said:");

        JsonNode sent = Json.parse(last(ollama, "/v1/chat/completions").body());
        assertThat(sent.get("model").asText()).isEqualTo("qwen3-coder:30b");
        // Every tool, with its schema unchanged.
        JsonNode tools = sent.get("tools");
        assertThat(tools).hasSize(24);
        for (int i = 0; i < 24; i++) {
            JsonNode original = body.get("tools").get(i);
            JsonNode fn = tools.get(i).get("function");
            assertThat(fn.get("name")).isEqualTo(original.get("name"));
            assertThat(fn.get("description")).isEqualTo(original.get("description"));
            assertThat(fn.get("parameters")).isEqualTo(original.get("input_schema"));
        }
        // What Ollama cannot use is dropped by rule, not forwarded to break it.
        assertThat(sent.has("thinking")).isFalse();
        assertThat(sent.has("context_management")).isFalse();
        assertThat(sent.has("metadata")).isFalse();
        assertThat(sent.has("reasoning_effort")).isFalse();
        assertThat(Json.writeString(sent)).doesNotContain("cache_control").doesNotContain("x-anthropic-billing-header");
        JsonNode messages = sent.get("messages");
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText())
                .startsWith("You are Claude Code, Anthropic's official CLI for Claude.")
                .contains("Working directory: /home/dev/project");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).get("content").asText()).contains("What does the README say about building?");
        JsonNode assistant = messages.get(2);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.has("reasoning_content")).isFalse();
        JsonNode call = assistant.get("tool_calls").get(0);
        assertThat(call.get("id").asText()).isEqualTo("toolu_01ReadReadme");
        assertThat(call.get("function").get("name").asText()).isEqualTo("Read");
        assertThat(Json.parse(call.get("function").get("arguments").asText()))
                .isEqualTo(body.get("messages").get(1).get("content").get(2).get("input"));
        JsonNode tool = messages.get(3);
        assertThat(tool.get("role").asText()).isEqualTo("tool");
        assertThat(tool.get("tool_call_id").asText()).isEqualTo("toolu_01ReadReadme");
        assertThat(tool.get("content").asText()).contains("Run ./mvnw install to build.");
        assertThat(messages.get(4).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(4).get("content").asText()).contains("TodoWrite");
        assertThat(messages).hasSize(5);
        assertThat(last(ollama, "/v1/chat/completions").headers().values()).noneMatch(v -> v.contains(token));

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.source()).isEqualTo("Claude Code");
        assertThat(row.requestType()).isEqualTo("messages");
        assertThat(row.statusCode()).isEqualTo(200);
    }

    @Test
    void through_an_ollama_node_non_streaming_too() throws Exception {
        HttpResponse<String> r = send(request("qwen-coder", false));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode message = Json.parse(r.body());
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("model").asText()).isEqualTo("qwen-coder");
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.get("content").get(0).get("type").asText()).isEqualTo("thinking");
        assertThat(message.get("content").get(1).get("text").asText()).startsWith("The tool said:");
    }

    @Test
    void through_an_anthropic_node_every_field_arrives_intact() throws Exception {
        for (boolean stream : List.of(true, false)) {
            ObjectNode body = request("opus", stream);

            HttpResponse<String> r = send(body);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            FakeUpstream.Recorded call = last(claude, "/v1/messages");
            ObjectNode sent = (ObjectNode) Json.parse(call.body());
            assertThat(sent.get("model").asText()).isEqualTo("claude-opus-4-1");
            ObjectNode expected = body.deepCopy();
            expected.put("model", "claude-opus-4-1");
            assertThat(sent).isEqualTo(expected);
            assertSameFieldOrder(sent, expected);
            assertThat(call.headers())
                    .containsEntry("anthropic-beta", BETA)
                    .containsEntry("anthropic-version", VERSION)
                    .containsEntry("x-api-key", NODE_KEY)
                    .doesNotContainKey("authorization")
                    .doesNotContainKey("x-app")
                    .doesNotContainKey("anthropic-dangerous-direct-browser-access");
            assertThat(call.headers().values()).noneMatch(v -> v.contains(token));

            if (stream) {
                ArrayNode events = SseEvents.parse(r.body());
                SseEvents.assertAnthropicSequence(events);
                assertThat(events.get(0).get("data").get("message").get("model").asText())
                        .isEqualTo("opus");
                assertThat(SseEvents.text(events))
                        .isEqualTo("The tool said: " + "     1\t# Project\n     2\tRun ./mvnw install to build.");
            } else {
                JsonNode message = Json.parse(r.body());
                assertThat(message.get("model").asText()).isEqualTo("opus");
                assertThat(message.get("content").get(0).get("signature").asText())
                        .isEqualTo(AnthropicWireFake.SIGNATURE);
            }
        }
    }

    static void assertSameFieldOrder(JsonNode a, JsonNode b) {
        Iterator<String> x = a.fieldNames();
        Iterator<String> y = b.fieldNames();
        while (x.hasNext() && y.hasNext()) {
            assertThat(x.next()).isEqualTo(y.next());
        }
        assertThat(x.hasNext()).isEqualTo(y.hasNext());
    }

    static FakeUpstream.Recorded last(FakeUpstream upstream, String path) {
        List<FakeUpstream.Recorded> calls = upstream.requests(path);
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1);
    }
}
