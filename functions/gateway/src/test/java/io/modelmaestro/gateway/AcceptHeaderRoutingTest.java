package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real HTTP requests with every common {@code Accept} header reach their own route, and only paths no route matches get
 * the 404 in the caller's format. Regression: a catch-all route producing {@code *}{@code /*} won Micronaut's route
 * selection for {@code Accept: *}{@code /*} (curl's and fetch's default) and answered 404 for real endpoints; Java's
 * HttpClient sends no Accept header, so the other tests never saw it.
 */
class AcceptHeaderRoutingTest {

    /** No Accept header, the wildcard curl and fetch send, JSON, and SSE. */
    private static final List<@Nullable String> ACCEPTS =
            Arrays.asList(null, "*/*", "application/json", "text/event-stream");

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHAT_STREAM =
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES =
            "{\"model\":\"m\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static FakeUpstream upstream;
    private static Gateway gw;
    private static String user;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start();
        gw.createNode("n", "n", "openai", upstream.baseUrl());
        user = gw.createUser("accept-user");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    private static HttpResponse<String> send(
            String method, String path, @Nullable String token, @Nullable String accept, @Nullable String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String label(@Nullable String accept, String what) {
        return what + " with Accept: " + (accept == null ? "(none)" : accept);
    }

    @Test
    void health_answers_with_every_accept_header() throws Exception {
        for (String accept : ACCEPTS) {
            HttpResponse<String> r = send("GET", "/health", null, accept, null);
            assertThat(r.statusCode())
                    .as(label(accept, "GET /health") + " " + r.body())
                    .isEqualTo(200);
            assertThat(Json.parse(r.body()).has("status")).isTrue();
        }
    }

    @Test
    void openai_models_and_chat_answer_with_every_accept_header() throws Exception {
        for (String accept : ACCEPTS) {
            HttpResponse<String> models = send("GET", "/v1/models", user, accept, null);
            assertThat(models.statusCode())
                    .as(label(accept, "GET /v1/models") + " " + models.body())
                    .isEqualTo(200);
            assertThat(Json.parse(models.body()).path("data").get(0).path("id").asText())
                    .isEqualTo("m");

            HttpResponse<String> chat = send("POST", "/v1/chat/completions", user, accept, CHAT);
            assertThat(chat.statusCode())
                    .as(label(accept, "POST /v1/chat/completions") + " " + chat.body())
                    .isEqualTo(200);
            assertThat(Json.parse(chat.body())
                            .path("choices")
                            .get(0)
                            .path("message")
                            .path("content")
                            .asText())
                    .isEqualTo(OpenAiWireFake.ANSWER);

            HttpResponse<String> stream = send("POST", "/v1/chat/completions", user, accept, CHAT_STREAM);
            assertThat(stream.statusCode())
                    .as(label(accept, "streaming POST /v1/chat/completions") + " " + stream.body())
                    .isEqualTo(200);
            assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            assertThat(stream.body()).contains("data: [DONE]").contains("chat.completion.chunk");
        }
    }

    @Test
    void anthropic_and_ollama_routes_answer_with_every_accept_header() throws Exception {
        for (String accept : ACCEPTS) {
            HttpResponse<String> tags = send("GET", "/api/tags", user, accept, null);
            assertThat(tags.statusCode())
                    .as(label(accept, "GET /api/tags") + " " + tags.body())
                    .isEqualTo(200);
            assertThat(Json.parse(tags.body()).path("models").isArray()).isTrue();

            HttpResponse<String> messages = send("POST", "/v1/messages", user, accept, MESSAGES);
            assertThat(messages.statusCode())
                    .as(label(accept, "POST /v1/messages") + " " + messages.body())
                    .isEqualTo(200);
            JsonNode body = Json.parse(messages.body());
            assertThat(body.path("type").asText()).isEqualTo("message");
            assertThat(body.path("content").get(0).path("text").asText()).isEqualTo(OpenAiWireFake.ANSWER);
        }
    }

    @Test
    void admin_routes_answer_with_every_accept_header() throws Exception {
        int i = 0;
        for (String accept : ACCEPTS) {
            String name = "accept-" + i++;
            HttpResponse<String> created =
                    send("POST", "/admin/users", Gateway.ADMIN_TOKEN, accept, "{\"username\":\"" + name + "\"}");
            assertThat(created.statusCode())
                    .as(label(accept, "POST /admin/users") + " " + created.body())
                    .isEqualTo(201);
            assertThat(Json.parse(created.body()).path("token").asText()).isNotEmpty();

            HttpResponse<String> list = send("GET", "/admin/users", Gateway.ADMIN_TOKEN, accept, null);
            assertThat(list.statusCode())
                    .as(label(accept, "GET /admin/users") + " " + list.body())
                    .isEqualTo(200);
            assertThat(list.body()).contains("\"" + name + "\"");
        }
    }

    @Test
    void unknown_paths_get_a_404_in_the_callers_format_after_authentication() throws Exception {
        for (String accept : ACCEPTS) {
            for (String method : List.of("GET", "POST")) {
                String body = method.equals("POST") ? "{}" : null;

                HttpResponse<String> anonymous = send(method, "/v1/nope", null, accept, body);
                assertThat(anonymous.statusCode())
                        .as(label(accept, method + " /v1/nope without a token") + " " + anonymous.body())
                        .isEqualTo(401);
                assertThat(Json.parse(anonymous.body())
                                .path("error")
                                .path("message")
                                .asText())
                        .startsWith("Missing authorization header");

                HttpResponse<String> openAi = send(method, "/v1/nope", user, accept, body);
                assertThat(openAi.statusCode())
                        .as(label(accept, method + " /v1/nope") + " " + openAi.body())
                        .isEqualTo(404);
                assertThat(openAi.headers().firstValue("content-type").orElse(""))
                        .startsWith("application/json");
                assertThat(Json.parse(openAi.body())
                                .path("error")
                                .path("message")
                                .asText())
                        .isEqualTo("No such endpoint: /v1/nope");

                HttpResponse<String> ollama = send(method, "/api/nope", user, accept, body);
                assertThat(ollama.statusCode())
                        .as(label(accept, method + " /api/nope") + " " + ollama.body())
                        .isEqualTo(404);
                JsonNode ollamaBody = Json.parse(ollama.body());
                assertThat(ollamaBody.path("error").isTextual()).isTrue();
                assertThat(ollamaBody.path("error").asText()).isEqualTo("No such endpoint: /api/nope");

                HttpResponse<String> admin = send(method, "/admin/nope", Gateway.ADMIN_TOKEN, accept, body);
                assertThat(admin.statusCode())
                        .as(label(accept, method + " /admin/nope") + " " + admin.body())
                        .isEqualTo(404);
                assertThat(Json.parse(admin.body()).path("detail").asText()).isEqualTo("No such endpoint: /admin/nope");

                HttpResponse<String> root = send(method, "/nope", null, accept, body);
                assertThat(root.statusCode())
                        .as(label(accept, method + " /nope") + " " + root.body())
                        .isEqualTo(404);
                assertThat(Json.parse(root.body()).path("error").path("message").asText())
                        .isEqualTo("No such endpoint: /nope");
            }
        }
    }

    @Test
    void other_route_misses_are_in_the_callers_format_and_endpoint_404s_keep_their_own_bodies() throws Exception {
        for (String accept : ACCEPTS) {
            HttpResponse<String> openAi = send("DELETE", "/v1/models", user, accept, null);
            assertThat(openAi.statusCode())
                    .as(label(accept, "DELETE /v1/models") + " " + openAi.body())
                    .isEqualTo(405);
            assertThat(openAi.headers().firstValue("allow").orElse("")).contains("GET");
            assertThat(Json.parse(openAi.body()).path("error").path("message").asText())
                    .startsWith("Method DELETE is not allowed on /v1/models");

            HttpResponse<String> ollama = send("PUT", "/api/tags", user, accept, "{}");
            assertThat(ollama.statusCode())
                    .as(label(accept, "PUT /api/tags") + " " + ollama.body())
                    .isEqualTo(405);
            assertThat(Json.parse(ollama.body()).path("error").asText())
                    .startsWith("Method PUT is not allowed on /api/tags");

            // An endpoint's own 404 (here an unknown node) is not replaced by the route-miss body.
            HttpResponse<String> node = send("GET", "/admin/nodes/999999", Gateway.ADMIN_TOKEN, accept, null);
            assertThat(node.statusCode())
                    .as(label(accept, "unknown node") + " " + node.body())
                    .isEqualTo(404);
            assertThat(Json.parse(node.body()).path("detail").asText()).doesNotContain("No such endpoint");
        }
    }
}
