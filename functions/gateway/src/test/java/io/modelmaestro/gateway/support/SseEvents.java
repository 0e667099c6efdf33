package io.modelmaestro.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A client's view of an SSE body: parsed events, and the grammar of Anthropic's event stream. */
public final class SseEvents {

    private SseEvents() {}

    /** Every event of {@code body} as {@code {event?, data}}; {@code data} is parsed JSON or the string [DONE]. */
    public static ArrayNode parse(String body) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>(decoder.feed(body.getBytes(StandardCharsets.UTF_8)));
        events.addAll(decoder.finish());
        ArrayNode out = Json.array();
        for (SseEvent e : events) {
            ObjectNode o = out.addObject();
            if (e.event() != null) {
                o.put("event", e.event());
            }
            if (e.data().strip().equals("[DONE]")) {
                o.put("data", "[DONE]");
            } else {
                o.set("data", Json.parse(e.data()));
            }
        }
        return out;
    }

    /**
     * Anthropic's grammar, with pings allowed anywhere after message_start: the {@code event:} name equals the data's
     * type; message_start first; blocks indexed 0, 1, 2… each started and stopped once with deltas of its kind only
     * while open; one message_delta with a stop reason after the last block; message_stop last.
     */
    public static void assertAnthropicSequence(ArrayNode events) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode e : events) {
            assertThat(e.path("event").asText())
                    .as("event name vs type in %s", e)
                    .isEqualTo(e.path("data").path("type").asText());
            if (!e.path("event").asText().equals("ping")) {
                list.add(e.get("data"));
            }
        }
        assertThat(list).isNotEmpty();
        assertThat(list.get(0).path("type").asText()).isEqualTo("message_start");
        assertThat(list.get(list.size() - 1).path("type").asText()).isEqualTo("message_stop");
        int next = 0;
        int open = -1;
        String kind = null;
        boolean delta = false;
        for (JsonNode d : list.subList(1, list.size() - 1)) {
            switch (d.path("type").asText()) {
                case "content_block_start" -> {
                    assertThat(open).as("start while a block is open: %s", d).isEqualTo(-1);
                    assertThat(delta).as("block after message_delta").isFalse();
                    assertThat(d.get("index").asInt()).isEqualTo(next);
                    open = next++;
                    kind = d.path("content_block").path("type").asText();
                }
                case "content_block_delta" -> {
                    assertThat(d.get("index").asInt())
                            .as("delta of a closed block: %s", d)
                            .isEqualTo(open);
                    String type = d.path("delta").path("type").asText();
                    switch (kind) {
                        case "text" -> assertThat(type).isEqualTo("text_delta");
                        case "thinking" -> assertThat(type).isIn("thinking_delta", "signature_delta");
                        case "tool_use", "server_tool_use" -> assertThat(type).isEqualTo("input_json_delta");
                        default -> {}
                    }
                }
                case "content_block_stop" -> {
                    assertThat(d.get("index").asInt()).isEqualTo(open);
                    open = -1;
                }
                case "message_delta" -> {
                    assertThat(open).as("message_delta with a block open").isEqualTo(-1);
                    assertThat(delta).as("two message_delta events").isFalse();
                    assertThat(d.path("delta").path("stop_reason").isTextual()).isTrue();
                    delta = true;
                }
                default -> throw new AssertionError("unexpected event " + d);
            }
        }
        assertThat(next).as("at least one block").isPositive();
        assertThat(delta).as("a message_delta").isTrue();
    }

    /** The concatenated text deltas. */
    public static String text(ArrayNode events) {
        StringBuilder out = new StringBuilder();
        for (JsonNode e : events) {
            JsonNode delta = e.path("data").path("delta");
            if (delta.path("type").asText().equals("text_delta")) {
                out.append(delta.get("text").asText());
            }
        }
        return out.toString();
    }
}
