package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.gateway.support.SseEvents;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * Streaming behaviour of the Anthropic surface over real HTTP: ping keepalives on long upstream silences, failover
 * before the first byte and never after it, and an upstream failure after the first byte as an {@code event: error}
 * frame.
 */
class AnthropicStreamingTest {

    static final String MESSAGES = "/v1/messages";

    Gateway gw;
    FakeUpstream primary;
    FakeUpstream secondary;
    String token;

    @BeforeEach
    void setUp() {
        primary = new FakeUpstream();
        secondary = OpenAiWireFake.install(new FakeUpstream(), List.of("m-real"), false);
        gw = Gateway.start(Map.of("maestro.anthropic.ping-interval", "100ms", "maestro.cooldown", "30s"));
        gw.createNode("primary", "p1", "anthropic", primary.baseUrl(), 10, 100);
        gw.createNode("secondary", "s1", "openai", secondary.baseUrl(), 0, 100);
        gw.map("m", "m-real");
        token = gw.createUser("sam");
    }

    @AfterEach
    void tearDown() {
        gw.close();
        primary.close();
        secondary.close();
    }

    static String body(boolean stream) {
        return "{\"model\":\"m\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void long_silences_are_filled_with_pings() {
        List<String> frames = AnthropicWireFake.stream(
                "m-real", List.of(AnthropicWireFake.Block.text("slow answer")), "end_turn", null);
        primary.on("POST", MESSAGES, FakeUpstream.Reply.sse(frames, Duration.ofMillis(350)));

        HttpResponse<String> r = gw.call("POST", MESSAGES, token, body(true));

        assertThat(r.statusCode()).isEqualTo(200);
        ArrayNode events = SseEvents.parse(r.body());
        SseEvents.assertAnthropicSequence(events);
        assertThat(SseEvents.text(events)).isEqualTo("slow answer");
        int upstreamPings =
                (int) frames.stream().filter(f -> f.startsWith("event: ping")).count();
        int pings = 0;
        for (JsonNode e : events) {
            if (e.get("event").asText().equals("ping")) {
                pings++;
            }
        }
        // Every gap between upstream events (350 ms) holds at least two of the gateway's pings (every 100 ms).
        assertThat(pings).isGreaterThan(upstreamPings + frames.size());
    }

    @Test
    void failover_before_the_first_byte_from_an_overloaded_anthropic_node() {
        primary.on(
                "POST",
                MESSAGES,
                FakeUpstream.Reply.json(
                        529,
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        for (boolean stream : List.of(true, false)) {
            HttpResponse<String> r = gw.call("POST", MESSAGES, token, body(stream));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String text = stream
                    ? SseEvents.text(SseEvents.parse(r.body()))
                    : Json.parse(r.body()).get("content").get(0).get("text").asText();
            assertThat(text).isEqualTo(OpenAiWireFake.ANSWER);
        }
        assertThat(primary.requests(MESSAGES)).hasSize(1); // then cooling down
        assertThat(secondary.requests("/v1/chat/completions")).hasSize(2);
    }

    @Test
    void every_node_failing_is_an_anthropic_error_with_the_right_type() {
        primary.on(
                "POST",
                MESSAGES,
                FakeUpstream.Reply.json(
                        529,
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        secondary.reset();
        secondary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}"));

        HttpResponse<String> r = gw.call("POST", MESSAGES, token, body(true));

        assertThat(r.statusCode()).isEqualTo(429);
        JsonNode error = Json.parse(r.body());
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("error").get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.get("error").get("message").asText())
                .contains("primary")
                .contains("secondary");
    }

    @Test
    void a_failure_after_the_first_byte_is_an_error_event_and_never_retried() {
        List<String> frames = new ArrayList<>();
        frames.add(
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m-real\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"partial \"},\"finish_reason\":null}]}"));
        frames.add(
                OpenAiWireFake.frame(
                        "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m-real\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"answer\"},\"finish_reason\":null}]}"));
        primary.on("POST", MESSAGES, FakeUpstream.Reply.json(503, "{}"));
        secondary.reset();
        secondary.on(
                "POST",
                "/v1/chat/completions",
                FakeUpstream.Reply.sse(frames, Duration.ofMillis(20)).thenAbort());

        HttpResponse<String> r = gw.call("POST", MESSAGES, token, body(true));

        assertThat(r.statusCode()).isEqualTo(200);
        ArrayNode events = SseEvents.parse(r.body());
        assertThat(SseEvents.text(events)).isEqualTo("partial answer");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("event").asText()).isEqualTo("error");
        assertThat(last.get("data").get("type").asText()).isEqualTo("error");
        assertThat(last.get("data").get("error").get("type").asText()).isEqualTo("api_error");
        assertThat(events.findValuesAsText("type")).doesNotContain("message_stop");
        assertThat(primary.requests(MESSAGES)).hasSize(1);
        assertThat(secondary.requests("/v1/chat/completions")).hasSize(1);

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(row.streamed()).isTrue();
    }

    @Test
    void an_anthropic_nodes_error_event_is_forwarded_and_logged() {
        List<String> frames = new ArrayList<>(
                AnthropicWireFake.stream("m-real", List.of(AnthropicWireFake.Block.text("cut")), "end_turn", null));
        frames = new ArrayList<>(frames.subList(0, 4)); // message_start, ping, block start, one delta
        frames.add(
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        primary.on("POST", MESSAGES, FakeUpstream.Reply.sse(frames, Duration.ofMillis(5)));

        HttpResponse<String> r = gw.call("POST", MESSAGES, token, body(true));

        ArrayNode events = SseEvents.parse(r.body());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("event").asText()).isEqualTo("error");
        assertThat(last.get("data").get("error").get("type").asText()).isEqualTo("overloaded_error");
        assertThat(secondary.requests("/v1/chat/completions")).isEmpty();
        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void client_disconnect_cancels_the_upstream_stream_through_the_keepalive() throws Exception {
        List<AnthropicWireFake.Block> blocks = new ArrayList<>();
        blocks.add(AnthropicWireFake.Block.text("x".repeat(1200)));
        // 200 text deltas 50 ms apart: ten seconds of stream unless the gateway hangs up.
        primary.on(
                "POST",
                MESSAGES,
                FakeUpstream.Reply.sse(
                        AnthropicWireFake.stream("m-real", blocks, "end_turn", null), Duration.ofMillis(50)));

        byte[] request = body(true).getBytes(StandardCharsets.UTF_8);
        try (Socket socket =
                new Socket("127.0.0.1", Integer.parseInt(gw.baseUrl().replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + MESSAGES + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + request.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(request);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            boolean sawDelta = false;
            while ((line = in.readLine()) != null) {
                if (line.contains("text_delta")) {
                    sawDelta = true;
                    break;
                }
            }
            assertThat(sawDelta).isTrue();
        }
        assertThat(primary.awaitDisconnect(Duration.ofSeconds(3))).isTrue();

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isEqualTo(499);
    }
}
