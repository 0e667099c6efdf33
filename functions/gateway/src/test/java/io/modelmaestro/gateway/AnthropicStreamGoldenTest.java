package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.SseEvents;
import io.modelmaestro.json.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for stream translations ({@code src/test/resources/golden/anthropic/*.json}): each scripts an upstream
 * stream byte for byte, sends a client request through the gateway, and compares the client's stream with the
 * expected events, parsed (event name and JSON data), never as strings. Volatile values (message ids, {@code
 * created}) are normalised first.
 *
 * <p>A golden file: {@code client} ({@code anthropic} or {@code openai}), {@code node} ({@code openai}, {@code ollama}
 * or {@code anthropic}), {@code request} (the client's body), {@code upstream} (for OpenAI-style nodes a list of chunk
 * objects, sent as {@code data:} frames followed by {@code [DONE]}; for Anthropic nodes a list of {@code {event,
 * data}}), and {@code expected} (a list of {@code {event?, data}}; {@code data} is JSON or the string {@code [DONE]}).
 * Run with {@code -Dgolden.update=true} to rewrite the expectations from the current output (then review the diff).
 */
class AnthropicStreamGoldenTest {

    static final Path DIR = Path.of("src/test/resources/golden/anthropic");

    static Gateway gw;
    static String token;
    static Map<String, FakeUpstream> upstreams;

    @BeforeAll
    static void start() {
        upstreams = Map.of("openai", new FakeUpstream(), "ollama", new FakeUpstream(), "anthropic", new FakeUpstream());
        gw = Gateway.start();
        long openai =
                gw.createNode("vllm", "oa", "openai", upstreams.get("openai").baseUrl());
        long ollama =
                gw.createNode("ollama", "ol", "ollama", upstreams.get("ollama").baseUrl());
        long anthropic = gw.createNode(
                "claude", "an", "anthropic", upstreams.get("anthropic").baseUrl());
        gw.map("m-openai", "real-openai", openai);
        gw.map("m-ollama", "real-ollama", ollama);
        gw.map("m-anthropic", "real-anthropic", anthropic);
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
    void stream_translation_matches_golden(String name) throws IOException {
        Path file = DIR.resolve(name);
        ObjectNode golden = (ObjectNode) Json.parse(Files.readAllBytes(file));
        String client = golden.get("client").asText();
        String node = golden.get("node").asText();
        FakeUpstream upstream = upstreams.get(node);
        upstream.reset();
        boolean anthropicNode = node.equals("anthropic");
        upstream.on(
                "POST",
                anthropicNode ? "/v1/messages" : "/v1/chat/completions",
                FakeUpstream.Reply.sse(frames(golden.get("upstream"), anthropicNode), Duration.ofMillis(2)));

        String path = client.equals("anthropic") ? "/v1/messages" : "/v1/chat/completions";
        HttpResponse<String> r = gw.call("POST", path, token, Json.writeString(golden.get("request")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        ArrayNode actual = normalise(SseEvents.parse(r.body()));
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
        if (client.equals("anthropic")) {
            SseEvents.assertAnthropicSequence(actual);
        }
        assertThat(upstream.requests()).hasSize(1);
    }

    static List<String> frames(JsonNode upstream, boolean anthropic) {
        List<String> frames = new ArrayList<>();
        for (JsonNode f : upstream) {
            if (anthropic) {
                frames.add("event: " + f.get("event").asText() + "\ndata: " + Json.writeString(f.get("data")) + "\n\n");
            } else {
                frames.add("data: " + Json.writeString(f) + "\n\n");
            }
        }
        if (!anthropic) {
            frames.add("data: [DONE]\n\n");
        }
        return frames;
    }

    /** Replaces per-request values: Anthropic message ids, OpenAI chunk ids and timestamps. */
    static ArrayNode normalise(ArrayNode events) {
        for (JsonNode e : events) {
            JsonNode data = e.get("data");
            if (data instanceof ObjectNode d) {
                if (d.get("message") instanceof ObjectNode m && m.has("id")) {
                    m.put("id", "<id>");
                }
                if (d.has("created")) {
                    d.put("created", 0);
                }
                if ("chat.completion.chunk".equals(d.path("object").asText()) && d.has("id")) {
                    d.put("id", "<id>");
                }
            }
        }
        return events;
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
