package io.modelmaestro.wire.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicResponseCodecTest {

    @Test
    void usage_counts_the_cache_in_the_prompt_on_the_way_in_and_not_on_the_way_out() {
        Usage usage = AnthropicResponseCodec.usage(
                Json.parse(
                        "{\"input_tokens\":20,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":5,\"output_tokens\":9}"));
        assertThat(usage).isEqualTo(new Usage(125, 9, 100, 5));
        assertThat(AnthropicResponseCodec.encodeUsage(usage).toString())
                .isEqualTo(Json.parse(
                                "{\"input_tokens\":20,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":100,\"output_tokens\":9}")
                        .toString());
    }

    @Test
    void decodes_blocks_and_the_matched_stop_sequence() {
        ChatResult result = AnthropicResponseCodec.decode(Json.parse("""
                {"id":"msg_1","model":"claude","stop_reason":"stop_sequence","stop_sequence":"END",
                 "content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"hi"},
                            {"type":"tool_use","id":"tu","name":"f","input":{"a":1}},
                            {"type":"redacted_thinking","data":"xx"}],
                 "usage":{"input_tokens":1,"output_tokens":2}}
                """));
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(result.rawFinishReason()).isEqualTo("END");
        assertThat(result.content().subList(0, 3))
                .containsExactly(
                        new ContentPart.Reasoning("t", "s"),
                        new ContentPart.Text("hi"),
                        new ContentPart.ToolCall("tu", "f", "{\"a\":1}"));
        assertThat(result.content().get(3)).isInstanceOf(ContentPart.Unknown.class);
    }

    @Test
    void encodes_tool_calls_with_tool_use_and_an_empty_message_with_an_empty_text_block() {
        JsonNode body = AnthropicResponseCodec.encode(
                new ChatResult(
                        "up",
                        "real",
                        List.of(new ContentPart.Text(""), new ContentPart.ToolCall("", "f", "{\"a\":1}")),
                        FinishReason.STOP,
                        "stop",
                        new Usage(10, 2, 4, 0)),
                "display",
                "msg_x");
        assertThat(body.get("id").asText()).isEqualTo("msg_x");
        assertThat(body.get("model").asText()).isEqualTo("display");
        assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(body.get("content")).hasSize(1);
        assertThat(body.at("/content/0/id").asText()).isEqualTo("toolu_0");
        assertThat(body.at("/content/0/input/a").asInt()).isEqualTo(1);
        assertThat(body.at("/usage/input_tokens").asLong()).isEqualTo(6);
        assertThat(body.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(4);

        JsonNode empty = AnthropicResponseCodec.encode(
                new ChatResult("", "", List.of(), FinishReason.LENGTH, null, Usage.ZERO), "d", "m");
        assertThat(empty.get("content")).isEqualTo(Json.parse("[{\"type\":\"text\",\"text\":\"\"}]"));
        assertThat(empty.get("stop_reason").asText()).isEqualTo("max_tokens");
    }
}
