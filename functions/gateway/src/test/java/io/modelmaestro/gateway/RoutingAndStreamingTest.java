package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing over real HTTP: node prefixes, failover before the first byte and never after it, passive cooldown, and a
 * client disconnect cancelling the upstream call.
 */
class RoutingAndStreamingTest {

    static final String CHAT = "/v1/chat/completions";

    Gateway gw;
    FakeUpstream primary;
    FakeUpstream secondary;
    String token;
    long primaryId;
    long secondaryId;

    @BeforeEach
    void setUp() {
        primary = new FakeUpstream();
        secondary = OpenAiWireFake.install(new FakeUpstream(), List.of("m:latest"), false);
        gw = Gateway.start(Map.of("maestro.cooldown", "30s"));
        primaryId = gw.createNode("primary", "p1", "openai", primary.baseUrl(), 10, 100);
        secondaryId = gw.createNode("secondary", "s1", "openai", secondary.baseUrl(), 0, 100);
        gw.map("m", "m:latest");
        token = gw.createUser("carol");
    }

    @AfterEach
    void tearDown() {
        gw.close();
        primary.close();
        secondary.close();
    }

    String chatBody(boolean stream) {
        return "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void failover_before_first_byte_reaches_next_node_and_cools_the_failed_one() {
        primary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));

        HttpResponse<String> r = gw.call("POST", CHAT, token, chatBody(false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body())
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(primary.requests(CHAT)).hasSize(1);
        assertThat(secondary.requests(CHAT)).hasSize(1);

        // The primary is cooling down: the next request goes straight to the secondary.
        HttpResponse<String> again = gw.call("POST", CHAT, token, chatBody(false));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(primary.requests(CHAT)).hasSize(1);
        assertThat(secondary.requests(CHAT)).hasSize(2);

        gw.flushActivity();
        List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).attempts()).isEqualTo(2);
        assertThat(rows.get(1).nodeName()).isEqualTo("secondary");
    }

    @Test
    void failover_on_connection_refused_for_streams() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        gw.admin("PUT", "/admin/nodes/" + primaryId, "{\"base_url\":\"http://127.0.0.1:" + closedPort + "\"}");

        HttpResponse<String> r = gw.call("POST", CHAT, token, chatBody(true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(joinedContent(r.body())).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void no_failover_after_first_byte_error_goes_in_band() {
        List<String> frames = List.of(
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial \"},\"finish_reason\":null}]}"),
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"answer\"},\"finish_reason\":null}]}"));
        primary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.sse(frames, Duration.ofMillis(20)).thenAbort());

        HttpResponse<String> r = gw.call("POST", CHAT, token, chatBody(true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(joinedContent(r.body())).isEqualTo("partial answer");
        List<JsonNode> events = dataEvents(r.body());
        JsonNode error = events.stream().filter(e -> e.has("error")).findFirst().orElseThrow();
        assertThat(error.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(secondary.requests(CHAT)).isEmpty();
        // The model name was rewritten in every chunk that reached the client.
        events.stream()
                .filter(e -> e.has("model"))
                .forEach(e -> assertThat(e.get("model").asText()).isEqualTo("m"));

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(row.streamed()).isTrue();
    }

    @Test
    void client_disconnect_cancels_the_upstream_stream() throws Exception {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            frames.add(OpenAiWireFake.frame(
                    "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t"
                            + i + " \"},\"finish_reason\":null}]}"));
        }
        primary.on("POST", "/v1/chat/completions", FakeUpstream.Reply.sse(frames, Duration.ofMillis(50)));

        byte[] body = chatBody(true).getBytes(StandardCharsets.UTF_8);
        try (Socket socket =
                new Socket("127.0.0.1", Integer.parseInt(gw.baseUrl().replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            boolean sawData = false;
            while ((line = in.readLine()) != null) {
                if (line.contains("data: ")) {
                    sawData = true;
                    break;
                }
            }
            assertThat(sawData).isTrue();
        }
        // The socket is closed: the upstream must notice within a second or two, long before its 10 s of chunks end.
        assertThat(primary.awaitDisconnect(Duration.ofSeconds(3))).isTrue();

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isEqualTo(499);
    }

    @Test
    void node_prefix_pins_the_node_and_unknown_code_is_404() {
        primary.on("POST", "/v1/chat/completions", FakeUpstream.Reply.json(500, "{\"error\":\"boom\"}"));

        HttpResponse<String> pinned =
                gw.call("POST", CHAT, token, chatBody(false).replace("\"model\":\"m\"", "\"model\":\"node:s1:m\""));
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(primary.requests(CHAT)).isEmpty();
        assertThat(Json.parse(secondary.requests(CHAT).get(0).body())
                        .get("model")
                        .asText())
                .isEqualTo("m:latest");
        assertThat(Json.parse(pinned.body()).get("model").asText()).isEqualTo("node:s1:m");

        HttpResponse<String> unknown =
                gw.call("POST", CHAT, token, chatBody(false).replace("\"model\":\"m\"", "\"model\":\"node:nope:m\""));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).path("error").path("message").asText())
                .isEqualTo("Node with code 'nope' not found");
    }

    @Test
    void every_node_failing_gives_a_gateway_error_naming_nodes_without_secrets() {
        gw.admin("PUT", "/admin/nodes/" + primaryId, "{\"api_key\":\"sk-very-secret-primary\"}");
        primary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.json(502, "{\"error\":{\"message\":\"bad gateway\"}}"));
        secondary.on(
                "POST", "/v1/chat/completions", FakeUpstream.Reply.json(503, "{\"error\":{\"message\":\"busy\"}}"));

        HttpResponse<String> r = gw.call("POST", CHAT, token, chatBody(false));

        assertThat(r.statusCode()).isEqualTo(503);
        String message = Json.parse(r.body()).path("error").path("message").asText();
        assertThat(message).contains("primary").contains("secondary");
        assertThat(r.body()).doesNotContain("sk-very-secret-primary").doesNotContain(token);
    }

    @Test
    void rate_limited_single_node_passes_429_after_honouring_a_short_retry_after() {
        gw.admin("PATCH", "/admin/nodes/" + secondaryId + "/toggle", null);
        primary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}")
                        .withHeaders(Map.of("Retry-After", "1")));

        HttpResponse<String> r = gw.call("POST", CHAT, token, chatBody(false));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(Json.parse(r.body()).path("error").path("type").asText()).isEqualTo("api_error");
        // Tried, waited the 1 s Retry-After, tried again, until the attempt bound (maestro.max-attempts = 3).
        assertThat(primary.requests(CHAT)).hasSize(3);
    }

    @Test
    void time_to_first_token_is_not_held_back_by_the_gateway() throws Exception {
        List<String> frames = new ArrayList<>();
        frames.add(
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"},\"finish_reason\":null}]}"));
        frames.add(
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" last\"},\"finish_reason\":\"stop\"}]}"));
        frames.add("data: [DONE]\n\n");
        primary.on("POST", "/v1/chat/completions", FakeUpstream.Reply.sse(frames, Duration.ofMillis(1500)));

        byte[] body = chatBody(true).getBytes(StandardCharsets.UTF_8);
        try (Socket socket =
                new Socket("127.0.0.1", Integer.parseInt(gw.baseUrl().replaceAll(".*:", "")))) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            long firstAt = -1;
            long lastAt = -1;
            while ((line = in.readLine()) != null) {
                if (line.contains("\"first\"") && firstAt < 0) {
                    firstAt = System.nanoTime();
                }
                if (line.contains(" last")) {
                    lastAt = System.nanoTime();
                    break;
                }
            }
            // The first delta arrives while the upstream is still waiting to send the second (1.5 s later):
            // an ordering check, not a timing benchmark.
            assertThat(firstAt).isPositive();
            assertThat(lastAt - firstAt).isGreaterThan(Duration.ofMillis(1000).toNanos());
            assertThat(firstAt - start).isLessThan(lastAt - start);
        }
    }

    static String joinedContent(String sse) {
        StringBuilder out = new StringBuilder();
        for (JsonNode e : dataEvents(sse)) {
            out.append(e.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return out.toString();
    }

    static List<JsonNode> dataEvents(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    out.add(Json.parse(line.substring(6)));
                }
            }
        }
        return out;
    }
}
