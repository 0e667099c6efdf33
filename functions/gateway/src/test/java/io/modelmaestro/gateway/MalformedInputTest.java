package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.NodeModelEntity;
import io.modelmaestro.persistence.NodeModelRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad requests: each gets a 4xx in OpenAI's error format naming the problem, never a 5xx, and the
 * upstream never sees a request.
 */
class MalformedInputTest {

    static Gateway gw;
    static FakeUpstream upstream;
    static String token;

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start(Map.of("maestro.max-body-bytes", 200_000));
        long node = gw.createNode("n", "n1", "openai", upstream.baseUrl());
        gw.map("m", "m", node);
        token = gw.createUser("mallory");
        // What discovery records: the node serves "m" only, so an unknown model is refused without a call.
        gw.bean(NodeModelRepository.class)
                .save(new NodeModelEntity(
                        null, node, "m", null, null, null, null, null, null, null, Instant.now(), true));
        gw.bean(CatalogService.class).refresh();
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static String msg(String extra) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
    }

    static Stream<Arguments> chatCorpus() {
        return Stream.of(
                Arguments.of("empty body", "", 400, null),
                Arguments.of("truncated JSON", "{\"model\":", 400, null),
                Arguments.of("array body", "[]", 400, null),
                Arguments.of("null body", "null", 400, null),
                Arguments.of("number body", "42", 400, null),
                Arguments.of("string body", "\"hello\"", 400, null),
                Arguments.of("model missing", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model"),
                Arguments.of("model not a string", "{\"model\":1,\"messages\":[]}", 400, "model"),
                Arguments.of("model blank", "{\"model\":\"  \",\"messages\":[]}", 400, "model"),
                Arguments.of("messages missing", "{\"model\":\"m\"}", 400, "messages"),
                Arguments.of("messages not array", "{\"model\":\"m\",\"messages\":\"hi\"}", 400, "messages"),
                Arguments.of("messages empty", "{\"model\":\"m\",\"messages\":[]}", 400, "messages"),
                Arguments.of("message not object", "{\"model\":\"m\",\"messages\":[1]}", 400, "messages[0]"),
                Arguments.of(
                        "role unknown",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"alien\",\"content\":\"x\"}]}",
                        400,
                        "messages[0].role"),
                Arguments.of(
                        "role missing",
                        "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}",
                        400,
                        "messages[0].role"),
                Arguments.of(
                        "user content missing",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}",
                        400,
                        "messages[0].content"),
                Arguments.of(
                        "user content number",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                        400,
                        "messages[0].content"),
                Arguments.of(
                        "part without type",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
                        400,
                        "messages[0].content[0].type"),
                Arguments.of(
                        "image without url",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}",
                        400,
                        "messages[0].content[0].image_url.url"),
                Arguments.of(
                        "tool message without id",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
                        400,
                        "messages[0].tool_call_id"),
                Arguments.of("temperature string", msg(",\"temperature\":\"hot\""), 400, "temperature"),
                Arguments.of("temperature too high", msg(",\"temperature\":7"), 400, "temperature"),
                Arguments.of("top_p too high", msg(",\"top_p\":1.5"), 400, "top_p"),
                Arguments.of("max_tokens string", msg(",\"max_tokens\":\"many\""), 400, "max_tokens"),
                Arguments.of("max_tokens fraction", msg(",\"max_tokens\":1.5"), 400, "max_tokens"),
                Arguments.of("stop number", msg(",\"stop\":5"), 400, "stop"),
                Arguments.of("stop array of numbers", msg(",\"stop\":[1,2]"), 400, "stop"),
                Arguments.of("stream string", msg(",\"stream\":\"yes\""), 400, "stream"),
                Arguments.of("tools not array", msg(",\"tools\":\"x\""), 400, "tools"),
                Arguments.of(
                        "tool without function", msg(",\"tools\":[{\"type\":\"function\"}]"), 400, "tools[0].function"),
                Arguments.of(
                        "tool without name",
                        msg(",\"tools\":[{\"type\":\"function\",\"function\":{}}]"),
                        400,
                        "tools[0].function.name"),
                Arguments.of(
                        "tool parameters not object",
                        msg(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":3}}]"),
                        400,
                        "tools[0].function.parameters"),
                Arguments.of("tool_choice unknown", msg(",\"tool_choice\":\"maybe\""), 400, "tool_choice"),
                Arguments.of(
                        "tool_choice object without name",
                        msg(",\"tool_choice\":{\"type\":\"function\"}"),
                        400,
                        "tool_choice.function.name"),
                Arguments.of(
                        "response_format unknown",
                        msg(",\"response_format\":{\"type\":\"xml\"}"),
                        400,
                        "response_format.type"),
                Arguments.of(
                        "response_format not object",
                        msg(",\"response_format\":\"json\""),
                        400,
                        "response_format.type"),
                Arguments.of(
                        "deep nesting",
                        "{\"model\":\"m\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                        400,
                        null),
                Arguments.of(
                        "unknown model",
                        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        404,
                        null),
                Arguments.of(
                        "unknown node code",
                        "{\"model\":\"node:zz:m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        404,
                        null),
                Arguments.of(
                        "malformed node prefix",
                        "{\"model\":\"node:m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        400,
                        "model"),
                Arguments.of("body over the limit", msg(",\"pad\":\"" + "x".repeat(250_000) + "\""), 413, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chatCorpus")
    void chat_rejects_bad_input_without_calling_upstream(String name, String body, int status, String param) {
        int before = upstream.requests("/v1/chat/completions").size();
        HttpResponse<String> r = gw.call("POST", "/v1/chat/completions", token, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = Json.parse(r.body()).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(upstream.requests("/v1/chat/completions")).hasSize(before);
    }

    static Stream<Arguments> otherCorpus() {
        return Stream.of(
                Arguments.of("/v1/embeddings", "{\"model\":\"m\"}", "input"),
                Arguments.of("/v1/embeddings", "{\"model\":\"m\",\"input\":5}", "input"),
                Arguments.of("/v1/embeddings", "{\"model\":\"m\",\"input\":[]}", "input"),
                Arguments.of("/v1/embeddings", "{\"input\":\"x\"}", "model"),
                Arguments.of("/v1/completions", "{\"model\":\"m\"}", "prompt"),
                Arguments.of("/v1/completions", "{\"model\":\"m\",\"prompt\":{}}", "prompt"),
                Arguments.of("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\",\"stream\":1}", "stream"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("otherCorpus")
    void other_endpoints_reject_bad_input(String path, String body, String param) {
        int before = upstream.requests().size();
        HttpResponse<String> r = gw.call("POST", path, token, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).path("error").path("param").asText()).isEqualTo(param);
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void invalid_utf8_and_wrong_content_type_are_client_errors() throws Exception {
        byte[] bad = {'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Test
    void unknown_paths_and_methods_answer_in_openai_format() {
        HttpResponse<String> r = gw.call("POST", "/v1/nonexistent", token, "{}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.parse(r.body()).path("error").path("message").asText()).contains("/v1/nonexistent");
        HttpResponse<String> get = gw.call("GET", "/v1/chat/completions", token, null);
        assertThat(get.statusCode()).isBetween(400, 499);
    }

    @Test
    void client_supplied_routing_fields_are_never_honoured() {
        String body = "{\"model\":\"m\",\"api_base\":\"http://169.254.169.254\",\"base_url\":\"http://evil.example\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> r = gw.call("POST", "/v1/chat/completions", token, body);
        assertThat(r.statusCode()).isEqualTo(200);
        // The request went to the configured node, nowhere else.
        assertThat(upstream.requests("/v1/chat/completions")).isNotEmpty();
    }
}
