package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.ResponseStreamEvent;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.SseEvents;
import io.modelmaestro.json.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for the Responses event sequence ({@code src/test/resources/golden/responses/*.json}): each scripts an
 * upstream stream byte for byte, sends a {@code /v1/responses} request through the gateway, and compares every event
 * the client gets (its {@code event:} name and its JSON) exactly with the expected list, after normalising the
 * per-request values (response and item ids, {@code created_at}). Every event must also parse and validate as the
 * OpenAI Java SDK's {@code ResponseStreamEvent}, carry {@code type == event} and a {@code sequence_number} counting
 * from 0.
 *
 * <p>A golden file: {@code node} ({@code openai}, {@code ollama}, {@code anthropic}, or {@code native}, a node serving
 * {@code /v1/responses} itself), {@code request}, {@code upstream} (OpenAI-style nodes: chunk objects sent as {@code
 * data:} frames and {@code [DONE]}; Anthropic and native nodes: {@code {event, data}}), {@code expected}. Run with
 * {@code -Dgolden.update=true} to rewrite the expectations from the current output (then review the diff).
 */
class ResponsesStreamGoldenTest {

    static final Path DIR = Path.of("src/test/resources/golden/responses");

    static Gateway gw;
    static String token;
    static Map<String, FakeUpstream> upstreams;

    @BeforeAll
    static void start() {
        upstreams = Map.of(
                "openai", new FakeUpstream(),
                "ollama", new FakeUpstream(),
                "anthropic", new FakeUpstream(),
                "native", new FakeUpstream());
        gw = Gateway.start();
        gw.map(
                "m-openai",
                "real-openai",
                gw.createNode("vllm", "oa", "openai", upstreams.get("openai").baseUrl()));
        gw.map(
                "m-ollama",
                "real-ollama",
                gw.createNode("ollama", "ol", "ollama", upstreams.get("ollama").baseUrl()));
        gw.map(
                "m-anthropic",
                "real-anthropic",
                gw.createNode(
                        "claude", "an", "anthropic", upstreams.get("anthropic").baseUrl()));
        long nativeNode = gw.createNode(
                "openai-native", "na", "openai", upstreams.get("native").baseUrl());
        HttpResponse<String> mapped = gw.admin(
                "POST",
                "/admin/model-mappings",
                Json.writeString(Map.of(
                        "display_name",
                        "m-native",
                        "real_name",
                        "gpt-5-codex",
                        "node_ids",
                        List.of(nativeNode),
                        "capabilities",
                        List.of("responses"))));
        assertThat(mapped.statusCode()).as(mapped.body()).isLessThan(300);
        token = gw.createUser("golden");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstreams.values().forEach(FakeUpstream::close);
    }

    static Stream<String> goldens() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void stream_matches_golden(String name) throws IOException {
        Path file = DIR.resolve(name);
        ObjectNode golden = (ObjectNode) Json.parse(Files.readAllBytes(file));
        String node = golden.get("node").asText();
        FakeUpstream upstream = upstreams.get(node);
        upstream.reset();
        boolean eventNamed = node.equals("anthropic") || node.equals("native");
        String path = switch (node) {
            case "anthropic" -> "/v1/messages";
            case "native" -> "/v1/responses";
            default -> "/v1/chat/completions";
        };
        upstream.on(
                "POST",
                path,
                FakeUpstream.Reply.sse(
                        AnthropicStreamGoldenTest.frames(golden.get("upstream"), eventNamed), Duration.ofMillis(2)));

        HttpResponse<String> r = gw.call("POST", "/v1/responses", token, Json.writeString(golden.get("request")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(r.body()).doesNotContain("[DONE]");
        ArrayNode raw = SseEvents.parse(r.body());
        assertSequence(raw);
        ArrayNode actual = normalise(raw);
        if (Boolean.getBoolean("golden.update")) {
            golden.set("expected", actual);
            Files.writeString(
                    file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n");
        }
        JsonNode expected = golden.get("expected");
        assertThat(actual.size()).as("number of events in\n%s", pretty(actual)).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("event %d of\n%s", i, pretty(actual)).isEqualTo(expected.get(i));
        }
        assertThat(upstream.requests()).hasSize(1);
        JsonNode sent = Json.parse(upstream.requests().get(0).body());
        assertThat(sent.path("model").asText()).isNotEmpty().doesNotStartWith("m-");
        if (node.equals("native")) {
            assertThat(sent.path("model").asText()).isEqualTo("gpt-5-codex");
            assertThat(sent.path("tools").get(0).path("type").asText()).isEqualTo("web_search");
        }
    }

    @org.junit.jupiter.api.Test
    void unary_passthrough_rewrites_the_model_and_the_gateway_holds_the_conversation() {
        FakeUpstream upstream = upstreams.get("native");
        upstream.reset();
        upstream.on("POST", "/v1/responses", r -> {
            JsonNode req = Json.parse(r.body());
            ObjectNode body = Json.object();
            body.put("id", "resp_up" + upstream.requests().size());
            body.put("object", "response");
            body.put("created_at", 1741476542);
            body.put("status", "completed");
            body.put("model", req.path("model").asText() + "-2025");
            ObjectNode msg = body.putArray("output").addObject();
            msg.put("id", "msg_up");
            msg.put("type", "message");
            msg.put("status", "completed");
            msg.put("role", "assistant");
            ObjectNode part = msg.putArray("content").addObject();
            part.put("type", "output_text");
            part.putArray("annotations");
            part.put("text", "native answer " + req.path("input").size());
            body.putObject("usage")
                    .put("input_tokens", 11)
                    .put("output_tokens", 3)
                    .put("total_tokens", 14);
            body.put("unknown_field", "kept");
            return FakeUpstream.Reply.json(200, Json.writeString(body));
        });
        HttpResponse<String> first =
                gw.call("POST", "/v1/responses", token, "{\"model\":\"m-native\",\"input\":\"one\",\"store\":true}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode r1 = Json.parse(first.body());
        assertThat(r1.path("model").asText()).isEqualTo("m-native");
        assertThat(r1.path("unknown_field").asText()).isEqualTo("kept");
        assertThat(Json.parse(upstream.requests().get(0).body()).path("model").asText())
                .isEqualTo("gpt-5-codex");

        HttpResponse<String> second = gw.call(
                "POST",
                "/v1/responses",
                token,
                "{\"model\":\"m-native\",\"previous_response_id\":\""
                        + r1.path("id").asText() + "\",\"input\":[{\"role\":\"user\",\"content\":\"two\"}]}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode sent = Json.parse(upstream.requests().get(1).body());
        // The node gets the whole conversation, not an id it may never have seen.
        assertThat(sent.has("previous_response_id")).isFalse();
        assertThat(sent.path("input")).hasSize(3);
        assertThat(sent.at("/input/0/content").asText()).isEqualTo("one");
        assertThat(sent.at("/input/1/type").asText()).isEqualTo("message");
        assertThat(sent.at("/input/1/id").isMissingNode()).isTrue();
        assertThat(sent.at("/input/2/content").asText()).isEqualTo("two");
        assertThat(Json.parse(second.body()).at("/output/0/content/0/text").asText())
                .isEqualTo("native answer 3");
    }

    /** What every Responses stream must satisfy, independent of the golden expectations. */
    static void assertSequence(ArrayNode events) {
        assertThat(events.size()).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            JsonNode data = e.get("data");
            assertThat(e.path("event").asText())
                    .as("event line of %s", data)
                    .isEqualTo(data.path("type").asText());
            assertThat(data.path("sequence_number").asLong())
                    .as("sequence of %s", data)
                    .isEqualTo(i);
            try {
                ResponseStreamEvent parsed =
                        ObjectMappers.jsonMapper().readValue(Json.writeString(data), ResponseStreamEvent.class);
                parsed.validate();
            } catch (IOException ex) {
                throw new AssertionError("not an SDK event: " + data, ex);
            }
        }
        assertThat(events.get(0).path("event").asText()).isEqualTo("response.created");
        assertThat(events.get(1).path("event").asText()).isEqualTo("response.in_progress");
        assertThat(events.get(events.size() - 1).path("event").asText())
                .isIn("response.completed", "response.incomplete", "response.failed");
    }

    /** Per-request values: the response id (and the item ids built from it) and timestamps. */
    static ArrayNode normalise(ArrayNode events) {
        ArrayNode out = Json.array();
        for (JsonNode e : events) {
            String text = Json.writeString(e)
                    .replaceAll("resp_[0-9a-f]{32}", "resp_<id>")
                    .replaceAll("(msg|rs|fc)_[0-9a-f]{32}(\\d{3})", "$1_<id>$2")
                    .replaceAll("\"created_at\":\\d+", "\"created_at\":0");
            out.add(Json.parse(text));
        }
        return out;
    }

    static String pretty(JsonNode node) {
        StringBuilder out = new StringBuilder();
        for (JsonNode e : node) {
            out.append(e.path("event").asText(""))
                    .append(' ')
                    .append(Json.writeString(e.get("data")))
                    .append('\n');
        }
        return out.toString();
    }
}
