package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One HTTP test suite for every runtime that serves the gateway: the same requests and the same assertions against
 * the Netty server (local runtime and the streaming Lambda) and the API Gateway proxy handler (the API Lambda). Setup
 * goes through the admin API of the runtime under test, like an operator would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpSurfaceContract {

    record Response(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return Json.parse(body);
        }
    }

    static final String MODEL = "Qwen/Qwen2.5-Coder-32B";

    FakeUpstream upstream;
    String userToken;

    /** Starts the runtime with these extra properties (database, secrets: as {@link Gateway#start}). */
    abstract void startRuntime(Map<String, Object> properties);

    abstract void stopRuntime();

    /** One request; {@code headers} are sent as given (names in lower case). */
    abstract Response call(String method, String path, Map<String, String> headers, String body);

    @BeforeAll
    void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of(MODEL), false);
        startRuntime(Map.of());
        Response node = admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of(
                        "name",
                        "gpu-vllm",
                        "code",
                        "gpu1",
                        "node_type",
                        "openai",
                        "base_url",
                        upstream.baseUrl() + "/v1")));
        assertThat(node.status()).as(node.body()).isEqualTo(201);
        long nodeId = node.json().get("id").asLong();
        Response mapping = admin(
                "POST",
                "/admin/model-mappings",
                Json.writeString(Map.of("display_name", "coder", "real_name", MODEL, "node_ids", List.of(nodeId))));
        assertThat(mapping.status()).as(mapping.body()).isBetween(200, 201);
        Response user = admin("POST", "/admin/users", "{\"username\":\"ide\"}");
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        userToken = user.json().get("token").asText();
    }

    @AfterAll
    void stop() {
        stopRuntime();
        upstream.close();
    }

    Response admin(String method, String path, String body) {
        return call(
                method,
                path,
                Map.of("authorization", "Bearer " + Gateway.ADMIN_TOKEN, "content-type", "application/json"),
                body);
    }

    Response user(String method, String path, String body) {
        return call(
                method, path, Map.of("authorization", "Bearer " + userToken, "content-type", "application/json"), body);
    }

    @Test
    void chat_completion_reaches_the_upstream_and_comes_back_under_the_requested_name() {
        int before = upstream.requests("/v1/chat/completions").size();
        Response r = user(
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"coder\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.get("model").asText()).isEqualTo("coder");
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(body.at("/usage/total_tokens").asInt()).isPositive();
        // The upstream saw the real model name and not the client's token.
        List<FakeUpstream.Recorded> seen = upstream.requests("/v1/chat/completions");
        assertThat(seen).hasSize(before + 1);
        FakeUpstream.Recorded last = seen.get(seen.size() - 1);
        assertThat(Json.parse(last.body()).get("model").asText()).isEqualTo(MODEL);
        assertThat(last.headers().toString()).doesNotContain(userToken);
    }

    @Test
    void model_list_shows_the_display_name() {
        Response r = user("GET", "/v1/models", null);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("object").asText()).isEqualTo("list");
        assertThat(r.json().get("data").findValuesAsText("id")).contains("coder");
    }

    @Test
    void missing_token_is_401_in_openai_format() {
        Response r = call(
                "POST",
                "/v1/chat/completions",
                Map.of("content-type", "application/json"),
                "{\"model\":\"coder\",\"messages\":[]}");

        assertThat(r.status()).isEqualTo(401);
        JsonNode error = r.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void admin_routes_answer_the_admin_and_refuse_users() {
        Response nodes = admin("GET", "/admin/nodes", null);
        assertThat(nodes.status()).as(nodes.body()).isEqualTo(200);
        assertThat(nodes.json().findValuesAsText("code")).containsExactly("gpu1");
        // Node credentials and the admin token never come back.
        assertThat(nodes.body()).doesNotContain(Gateway.ADMIN_TOKEN);

        assertThat(user("GET", "/admin/nodes", null).status()).isEqualTo(403);
    }

    @Test
    void bad_json_is_a_400_in_openai_format_not_a_500() {
        Response r = user("POST", "/v1/chat/completions", "{\"model\":\"coder\",\"messages\":");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void health_is_anonymous() {
        Response r = call("GET", "/health", Map.of(), null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("healthy");
    }
}
