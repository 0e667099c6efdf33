package io.modelmaestro.wire.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.core.stream.StreamEvent.BlockKind;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

    static List<StreamEvent> decode(String... events) {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
        List<StreamEvent> out = new ArrayList<>();
        for (String e : events) {
            out.addAll(decoder.decode(Json.parse(e)));
        }
        out.addAll(decoder.finish());
        return out;
    }

    @Test
    void blocks_without_a_canonical_kind_are_skipped_and_the_rest_renumbered() {
        List<StreamEvent> out = decode(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":90,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"s1\"}}",
                "{\"type\":\"content_block_stop\",\"index\":1}",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\":1}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":2}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}",
                "{\"type\":\"message_stop\"}");

        assertThat(out)
                .containsExactly(
                        new StreamEvent.MessageStart("msg_1", "claude"),
                        new StreamEvent.BlockStart(0, BlockKind.REASONING, null, null),
                        new StreamEvent.ReasoningDelta(0, "hm", null),
                        new StreamEvent.ReasoningDelta(0, "", "s1"),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.BlockStart(1, BlockKind.TOOL_CALL, "t1", "f"),
                        new StreamEvent.ToolArgsDelta(1, "{\"a\""),
                        new StreamEvent.ToolArgsDelta(1, ":1}"),
                        new StreamEvent.BlockStop(1),
                        new StreamEvent.UsageUpdate(new Usage(100, 7, 90, 0)),
                        new StreamEvent.MessageStop(FinishReason.TOOL_CALLS, "tool_use"));
    }

    @Test
    void error_events_are_reported_and_stop_sequences_carry_the_sequence() {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
        decoder.decode(
                Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}"));
        assertThat(decoder.error())
                .isEqualTo(new AnthropicStreamDecoder.UpstreamStreamError("overloaded_error", "busy"));

        List<StreamEvent> out = decode(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\"}}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"}}");
        assertThat(out.get(out.size() - 1)).isEqualTo(new StreamEvent.MessageStop(FinishReason.STOP_SEQUENCE, "END"));
    }
}
