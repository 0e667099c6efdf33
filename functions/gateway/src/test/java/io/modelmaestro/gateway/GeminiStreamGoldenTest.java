package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Golden files for the Gemini stream ({@code src/test/resources/golden/gemini/}): each {@code NAME.json} scripts an
 * upstream stream byte for byte ({@code node}: {@code openai}, {@code ollama} or {@code anthropic}; {@code upstream}:
 * for OpenAI-style nodes a list of chunk objects sent as {@code data:} frames followed by {@code [DONE]}, for
 * Anthropic nodes a list of {@code {event, data}}), sends {@code request} to {@code path} as a Gemini client would,
 * and compares the response body with {@code NAME.expected} exactly, byte for byte, after only the per-request
 * {@code responseId} is replaced by {@code <id>}. Run with {@code -Dgolden.update=true} to rewrite the expectations
 * from the current output (then review the diff).
 */
class GeminiStreamGoldenTest {

    static final Path DIR = Path.of("src/test/resources/golden/gemini");

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
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void stream_matches_golden_byte_for_byte(String name) throws IOException {
        ObjectNode golden = (ObjectNode) Json.parse(Files.readAllBytes(DIR.resolve(name + ".json")));
        String node = golden.get("node").asText();
        FakeUpstream upstream = upstreams.get(node);
        upstream.reset();
        boolean anthropicNode = node.equals("anthropic");
        upstream.on(
                "POST",
                anthropicNode ? "/v1/messages" : "/v1/chat/completions",
                FakeUpstream.Reply.sse(frames(golden.get("upstream"), anthropicNode), Duration.ofMillis(2)));

        HttpResponse<String> r =
                gw.call("POST", golden.get("path").asText(), token, Json.writeString(golden.get("request")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        boolean sse = golden.get("path").asText().contains("alt=sse");
        assertThat(r.headers().firstValue("content-type").orElse(""))
                .startsWith(sse ? "text/event-stream" : "application/json");
        String actual = r.body().replaceAll("\"responseId\":\"[0-9a-f]{32}\"", "\"responseId\":\"<id>\"");
        Path expectedFile = DIR.resolve(name + ".expected");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
        if (!sse) {
            JsonNode array = Json.parse(actual);
            assertThat(array.isArray()).isTrue();
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
}
