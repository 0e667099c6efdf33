package io.modelmaestro.wire.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.ResponseFormat;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.ToolChoice;
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic requests → canonical (the validator too) and canonical → Anthropic (with its repairs). */
class AnthropicRequestCodecTest {

    static ChatRequest decode(String json) {
        return AnthropicRequestDecoder.decode((ObjectNode) Json.parse(json));
    }

    @Test
    void decodes_system_blocks_tools_choice_thinking_and_sampling() {
        ChatRequest r = decode("""
                {"model":"m","max_tokens":100,"stream":true,"temperature":0.5,"top_p":0.9,"top_k":40,
                 "stop_sequences":["###"],
                 "system":[{"type":"text","text":"one","cache_control":{"type":"ephemeral"}},{"type":"text","text":"two"}],
                 "tools":[{"name":"f","description":"d","input_schema":{"type":"object"}},
                          {"type":"web_search_20250305","name":"web_search"}],
                 "tool_choice":{"type":"any"},
                 "thinking":{"type":"enabled","budget_tokens":5000},
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},
                 "metadata":{"user_id":"u"},"context_management":{"edits":[]},
                 "messages":[{"role":"user","content":"hi"}]}
                """);

        assertThat(r.model()).isEqualTo("m");
        assertThat(r.stream()).isTrue();
        assertThat(r.system()).containsExactly(new ContentPart.Text("one"), new ContentPart.Text("two"));
        assertThat(r.tools()).containsExactly(new ToolSpec("f", "d", Json.parse("{\"type\":\"object\"}")));
        assertThat(r.toolChoice()).isEqualTo(new ToolChoice.Required());
        assertThat(r.reasoning()).isEqualTo(new ReasoningConfig(true, null, 5000));
        assertThat(r.params())
                .isEqualTo(new GenerationParams(100, 0.5, 0.9, 40, List.of("###"), null, null, null, null));
        assertThat(r.responseFormat())
                .isEqualTo(new ResponseFormat.JsonSchema("response", Json.parse("{\"type\":\"object\"}"), null));
        assertThat(r.user()).isNull();
    }

    @Test
    void tool_results_become_a_tool_turn_before_the_users_text_with_images_after_their_result() {
        ChatRequest r = decode("""
                {"model":"m","max_tokens":100,"messages":[
                  {"role":"user","content":"weather?"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},
                                                 {"type":"tool_use","id":"tu1","name":"f","input":{"a":1}}]},
                  {"role":"user","content":[
                     {"type":"tool_result","tool_use_id":"tu1","is_error":true,
                      "content":[{"type":"text","text":"line 1"},{"type":"text","text":"line 2"},
                                 {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"QUJD"}}]},
                     {"type":"text","text":"and then?"}]}]}
                """);

        assertThat(r.messages())
                .containsExactly(
                        Message.text(Role.USER, "weather?"),
                        new Message(
                                Role.ASSISTANT,
                                List.of(
                                        new ContentPart.Reasoning("t", "s"),
                                        new ContentPart.ToolCall("tu1", "f", "{\"a\":1}")),
                                null),
                        new Message(
                                Role.TOOL,
                                List.of(
                                        new ContentPart.ToolResult("tu1", "line 1\nline 2", true),
                                        new ContentPart.Image("image/jpeg", "QUJD", null)),
                                null),
                        Message.text(Role.USER, "and then?"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"m\",\"messages\":[]}|max_tokens",
                "{\"max_tokens\":1,\"messages\":[]}|model",
                "{\"model\":\"m\",\"max_tokens\":1}|messages",
                "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}|max_tokens",
                "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}|messages.0.role",
                "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":5}]}|messages.0.content",
                "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}|messages.0.content.0.type",
                "{\"model\":\"m\",\"max_tokens\":1,\"temperature\":1.5,\"messages\":[]}|temperature",
                "{\"model\":\"m\",\"max_tokens\":1,\"tool_choice\":{\"type\":\"tool\"},\"messages\":[]}|tool_choice.name",
                "{\"model\":\"m\",\"max_tokens\":1,\"thinking\":{\"type\":\"enabled\"},\"messages\":[]}|thinking.budget_tokens",
                "{\"model\":\"m\",\"max_tokens\":1,\"stream\":\"yes\",\"messages\":[]}|stream",
                "{\"model\":\"m\",\"max_tokens\":1,\"system\":[{\"type\":\"image\"}],\"messages\":[]}|system.0.type",
            })
    void invalid_requests_name_the_field(String body, String param) {
        assertThatThrownBy(() -> decode(body))
                .isInstanceOfSatisfying(
                        GatewayException.InvalidRequest.class,
                        e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void count_tokens_bodies_need_no_max_tokens() {
        ChatRequest r = AnthropicRequestDecoder.decodeForCount(
                (ObjectNode) Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(r.params().maxTokens()).isNull();
    }

    @Test
    void encoding_gathers_tool_results_into_one_user_turn_and_drops_what_anthropic_refuses() {
        ChatRequest request = new ChatRequest(
                "m",
                List.of(new ContentPart.Text("sys")),
                List.of(
                        Message.text(Role.USER, "q"),
                        new Message(
                                Role.ASSISTANT,
                                List.of(
                                        new ContentPart.Reasoning("unsigned", null),
                                        new ContentPart.ToolCall("c1", "f", "{\"x\":1}"),
                                        new ContentPart.ToolCall("c2", "f", "not json")),
                                null),
                        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("c1", "r1", false)), null),
                        new Message(
                                Role.TOOL,
                                List.of(
                                        new ContentPart.ToolResult("c2", "r2", true),
                                        new ContentPart.Image("image/png", "QQ==", null)),
                                null),
                        Message.text(Role.USER, "more"),
                        new Message(Role.ASSISTANT, List.of(new ContentPart.Text("")), null)),
                List.of(),
                null,
                new GenerationParams(null, 1.7, null, 5, List.of("END"), 42L, 0.1, null, null),
                null,
                null,
                false,
                "user-1");

        JsonNode body = AnthropicRequestEncoder.encode(request, "claude-x", 4096);

        assertThat(body.get("model").asText()).isEqualTo("claude-x");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.get("system").asText()).isEqualTo("sys");
        assertThat(body.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(body.get("top_k").asInt()).isEqualTo(5);
        assertThat(body.get("stop_sequences").get(0).asText()).isEqualTo("END");
        assertThat(body.has("seed")).isFalse();
        assertThat(body.at("/metadata/user_id").asText()).isEqualTo("user-1");
        JsonNode messages = body.get("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1).get("content");
        assertThat(assistant).hasSize(2); // the unsigned reasoning is gone
        assertThat(assistant.get(0).get("input")).isEqualTo(Json.parse("{\"x\":1}"));
        assertThat(assistant.get(1).get("input")).isEqualTo(Json.parse("{\"_raw\":\"not json\"}"));
        JsonNode user = messages.get(2).get("content");
        assertThat(user.get(0).get("tool_use_id").asText()).isEqualTo("c1");
        assertThat(user.get(1).get("tool_use_id").asText()).isEqualTo("c2");
        assertThat(user.get(1).get("is_error").asBoolean()).isTrue();
        assertThat(user.get(1).at("/content/0/text").asText()).isEqualTo("r2");
        assertThat(user.get(1).at("/content/1/source/data").asText()).isEqualTo("QQ==");
        assertThat(user.get(2).get("text").asText()).isEqualTo("more");
    }

    @ParameterizedTest
    @CsvSource({
        "high, , 16000, 8192",
        "low, , 16000, 1024",
        ", 20000, 16000, 15999",
        "high, , 1500, 1499",
        "high, , 1000, ",
        "none, , 16000, ",
    })
    void thinking_budgets_stay_below_max_tokens_and_above_anthropics_minimum(
            String effort, Integer budget, int maxTokens, Integer expected) {
        assertThat(AnthropicRequestEncoder.thinkingBudget(new ReasoningConfig(true, effort, budget), maxTokens))
                .isEqualTo(expected);
    }

    @Test
    void a_forced_tool_choice_wins_over_thinking() {
        ChatRequest request = new ChatRequest(
                "m",
                List.of(),
                List.of(Message.text(Role.USER, "q")),
                List.of(new ToolSpec("f", null, Json.object())),
                new ToolChoice.Named("f"),
                new GenerationParams(8000, 0.3, null, null, List.of(), null, null, null, null),
                null,
                new ReasoningConfig(true, "high", null),
                true,
                null);
        JsonNode body = AnthropicRequestEncoder.encode(request, "c", 4096);
        assertThat(body.has("thinking")).isFalse();
        assertThat(body.get("tool_choice")).isEqualTo(Json.parse("{\"type\":\"tool\",\"name\":\"f\"}"));
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);

        ChatRequest thinking = new ChatRequest(
                "m",
                List.of(),
                List.of(Message.text(Role.USER, "q")),
                List.of(),
                null,
                new GenerationParams(8000, 0.3, null, 3, List.of(), null, null, null, null),
                null,
                new ReasoningConfig(true, "high", null),
                true,
                null);
        JsonNode withThinking = AnthropicRequestEncoder.encode(thinking, "c", 4096);
        assertThat(withThinking.at("/thinking/budget_tokens").asInt()).isEqualTo(7999);
        assertThat(withThinking.has("temperature")).isFalse();
        assertThat(withThinking.has("top_k")).isFalse();
    }
}
