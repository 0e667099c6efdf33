package io.modelmaestro.wire.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.core.stream.StreamEvent.BlockKind;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder keeps Anthropic's event grammar whatever the canonical stream looks like. */
class AnthropicStreamEncoderTest {

    record Event(String name, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }

        @Override
        public String toString() {
            return name + " " + data;
        }
    }

    static List<Event> encode(List<StreamEvent> events, boolean complete) {
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("display", "msg_1", 42);
        List<byte[]> frames = new ArrayList<>();
        events.forEach(e -> frames.addAll(encoder.encode(e)));
        if (complete) {
            frames.addAll(encoder.complete());
        }
        SseDecoder decoder = new SseDecoder();
        List<Event> out = new ArrayList<>();
        for (byte[] f : frames) {
            for (SseEvent e : decoder.feed(f)) {
                Event event = new Event(e.event(), Json.parse(e.data()));
                assertThat(event.name()).isEqualTo(event.type());
                out.add(event);
            }
        }
        return out;
    }

    static List<String> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    @Test
    void a_delta_without_its_block_start_opens_the_block_and_a_kind_change_closes_it() {
        List<Event> out = encode(
                List.of(
                        new StreamEvent.MessageStart("up", "real"),
                        new StreamEvent.ReasoningDelta(0, "hmm", null),
                        new StreamEvent.TextDelta(0, "Hello"),
                        new StreamEvent.TextDelta(0, " world"),
                        new StreamEvent.MessageStop(FinishReason.STOP, "stop")),
                false);

        assertThat(types(out))
                .containsExactly(
                        "message_start",
                        "ping",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(out.get(2).data().at("/content_block/type").asText()).isEqualTo("thinking");
        assertThat(out.get(5).data().get("index").asInt()).isEqualTo(1);
        assertThat(out.get(5).data().at("/content_block/type").asText()).isEqualTo("text");
        assertThat(out.get(6).data().at("/delta/text").asText()).isEqualTo("Hello");
        JsonNode start = out.get(0).data().get("message");
        assertThat(start.get("id").asText()).isEqualTo("msg_1");
        assertThat(start.get("model").asText()).isEqualTo("display");
        assertThat(start.at("/usage/input_tokens").asLong()).isEqualTo(42);
    }

    @Test
    void tool_calls_end_with_tool_use_even_when_the_upstream_said_stop() {
        List<Event> out = encode(
                List.of(
                        new StreamEvent.MessageStart("", ""),
                        new StreamEvent.BlockStart(0, BlockKind.TOOL_CALL, "call_1", "get_weather"),
                        new StreamEvent.ToolArgsDelta(0, "{\"a\":"),
                        new StreamEvent.ToolArgsDelta(0, "1}"),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.MessageStop(FinishReason.STOP, "stop")),
                false);

        Event block = out.get(2);
        assertThat(block.data().at("/content_block/id").asText()).isEqualTo("call_1");
        assertThat(block.data().at("/content_block/name").asText()).isEqualTo("get_weather");
        assertThat(block.data().at("/content_block/input").isObject()).isTrue();
        assertThat(out.get(3).data().at("/delta/partial_json").asText()).isEqualTo("{\"a\":");
        Event delta = out.get(out.size() - 2);
        assertThat(delta.data().at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void a_message_without_content_gets_one_empty_text_block_and_a_missing_stop_is_completed() {
        List<Event> out = encode(List.of(new StreamEvent.MessageStart("", "")), true);

        assertThat(types(out))
                .containsExactly(
                        "message_start",
                        "ping",
                        "content_block_start",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(out.get(4).data().at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void usage_excludes_the_cache_from_input_tokens_and_stop_sequences_are_named() {
        List<Event> out = encode(
                List.of(
                        new StreamEvent.TextDelta(0, "x"),
                        new StreamEvent.UsageUpdate(new Usage(300, 40, 256, 4)),
                        new StreamEvent.MessageStop(FinishReason.STOP_SEQUENCE, "###")),
                false);

        JsonNode delta = out.get(out.size() - 2).data();
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(delta.at("/delta/stop_sequence").asText()).isEqualTo("###");
        assertThat(delta.at("/usage/input_tokens").asLong()).isEqualTo(40);
        assertThat(delta.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(256);
        assertThat(delta.at("/usage/cache_creation_input_tokens").asLong()).isEqualTo(4);
        assertThat(delta.at("/usage/output_tokens").asLong()).isEqualTo(40);
    }

    @Test
    void signatures_become_signature_deltas_and_length_is_max_tokens() {
        List<Event> out = encode(
                List.of(
                        new StreamEvent.BlockStart(0, BlockKind.REASONING, null, null),
                        new StreamEvent.ReasoningDelta(0, "think", null),
                        new StreamEvent.ReasoningDelta(0, "", "sig=="),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.MessageStop(FinishReason.LENGTH, "length")),
                false);

        assertThat(out.get(4).data().at("/delta/type").asText()).isEqualTo("signature_delta");
        assertThat(out.get(4).data().at("/delta/signature").asText()).isEqualTo("sig==");
        assertThat(out.get(out.size() - 2).data().at("/delta/stop_reason").asText())
                .isEqualTo("max_tokens");
        // Events after the stop are not encoded.
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("d", "m", 0);
        encoder.encode(new StreamEvent.MessageStop(FinishReason.STOP, null));
        assertThat(encoder.encode(new StreamEvent.TextDelta(0, "late"))).isEmpty();
        assertThat(encoder.complete()).isEmpty();
    }
}
