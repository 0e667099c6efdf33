package io.modelmaestro.wire.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.ResponseFormat;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ollama format's conversions on their own: the cases the client tests reach only indirectly. */
class OllamaWireTest {

    static ChatRequest chat(String json) {
        return OllamaRequestDecoder.decodeChat((ObjectNode) Json.parse(json));
    }

    @Test
    void toolResults_arePairedWithTheirCalls_byIdThenNameThenOrder() {
        ChatRequest r = chat("""
                {"model":"m","messages":[
                  {"role":"user","content":"weather and time?"},
                  {"role":"assistant","content":"","tool_calls":[
                    {"function":{"name":"weather","arguments":{"city":"Paris"}}},
                    {"function":{"name":"clock","arguments":{}}}]},
                  {"role":"tool","tool_name":"clock","content":"12:00"},
                  {"role":"tool","content":"18C"},
                  {"role":"tool","content":"orphan"}]}""");
        ContentPart.ToolCall weather =
                (ContentPart.ToolCall) r.messages().get(1).content().get(0);
        ContentPart.ToolCall clock =
                (ContentPart.ToolCall) r.messages().get(1).content().get(1);
        assertThat(weather.id()).isEqualTo("call_1_0");
        assertThat(Json.parse(weather.arguments()).get("city").asText()).isEqualTo("Paris");
        assertThat(clock.id()).isEqualTo("call_1_1");
        assertThat(result(r, 2).toolCallId()).isEqualTo(clock.id());
        assertThat(result(r, 3).toolCallId()).isEqualTo(weather.id());
        assertThat(result(r, 4).toolCallId()).isEqualTo("call_result_4");
    }

    static ContentPart.ToolResult result(ChatRequest r, int index) {
        assertThat(r.messages().get(index).role()).isEqualTo(Role.TOOL);
        return (ContentPart.ToolResult) r.messages().get(index).content().get(0);
    }

    @Test
    void options_format_and_think_mapToCanonical_andOllamaOnlyOptionsAreIgnored() {
        ChatRequest r = chat("""
                {"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],
                 "format":{"type":"object"},"think":"high","keep_alive":"5m",
                 "options":{"num_predict":-1,"temperature":0.3,"top_k":5,"stop":"END","seed":7,
                            "repeat_penalty":1.2,"num_ctx":8192,"mirostat":2}}""");
        assertThat(r.system()).containsExactly(new ContentPart.Text("be brief"));
        assertThat(r.stream()).isTrue();
        assertThat(r.params().maxTokens()).isNull();
        assertThat(r.params().temperature()).isEqualTo(0.3);
        assertThat(r.params().topK()).isEqualTo(5);
        assertThat(r.params().stop()).containsExactly("END");
        assertThat(r.params().seed()).isEqualTo(7L);
        assertThat(r.params().repeatPenalty()).isEqualTo(1.2);
        assertThat(r.responseFormat()).isInstanceOf(ResponseFormat.JsonSchema.class);
        assertThat(r.reasoning().effort()).isEqualTo("high");
        assertThatThrownBy(() -> chat("{\"model\":\"m\",\"options\":{\"num_ctx\":\"big\",\"top_k\":1.5}}"))
                .isInstanceOf(GatewayException.InvalidRequest.class)
                .hasMessageContaining("options.top_k");
    }

    @Test
    void images_keepTheirBytes_andGetASniffedMediaType() {
        ChatRequest r = chat("""
                {"model":"m","messages":[{"role":"user","content":"","images":["/9j/4AAQ","iVBORw0KGgo"]}]}""");
        List<ContentPart> parts = r.messages().get(0).content();
        assertThat(parts)
                .containsExactly(
                        new ContentPart.Image("image/jpeg", "/9j/4AAQ", null),
                        new ContentPart.Image("image/png", "iVBORw0KGgo", null));
    }

    @Test
    void streamEncoder_sendsToolCallsWhole_andEndsWithTheDoneLine() {
        OllamaStreamEncoder encoder = new OllamaStreamEncoder("shown", true, true);
        List<byte[]> out = new ArrayList<>();
        String at = "2025-01-01T00:00:00Z";
        for (StreamEvent e : List.of(
                new StreamEvent.MessageStart("id", "real"),
                new StreamEvent.BlockStart(0, StreamEvent.BlockKind.REASONING, null, null),
                new StreamEvent.ReasoningDelta(0, "hmm", null),
                new StreamEvent.BlockStop(0),
                new StreamEvent.BlockStart(1, StreamEvent.BlockKind.TOOL_CALL, "call_9", "weather"),
                new StreamEvent.ToolArgsDelta(1, "{\"ci"),
                new StreamEvent.ToolArgsDelta(1, "ty\":\"Oslo\"}"),
                new StreamEvent.BlockStop(1),
                new StreamEvent.UsageUpdate(new Usage(11, 3)),
                new StreamEvent.MessageStop(FinishReason.TOOL_CALLS, "tool_calls"))) {
            out.addAll(encoder.encode(e, at));
        }
        out.addAll(encoder.complete(at, new OllamaTimings(100, 0, 40, 60)));

        List<JsonNode> lines = out.stream()
                .map(b -> {
                    String s = new String(b, StandardCharsets.UTF_8);
                    assertThat(s).endsWith("\n");
                    return Json.parse(s);
                })
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).at("/message/thinking").asText()).isEqualTo("hmm");
        assertThat(lines.get(1).at("/message/tool_calls/0/id").asText()).isEqualTo("call_9");
        assertThat(lines.get(1).at("/message/tool_calls/0/function/name").asText())
                .isEqualTo("weather");
        assertThat(lines.get(1)
                        .at("/message/tool_calls/0/function/arguments/city")
                        .asText())
                .isEqualTo("Oslo");
        JsonNode last = lines.get(2);
        assertThat(last.get("model").asText()).isEqualTo("shown");
        assertThat(last.get("done").asBoolean()).isTrue();
        assertThat(last.get("done_reason").asText()).isEqualTo("stop");
        assertThat(last.get("prompt_eval_count").asLong()).isEqualTo(11);
        assertThat(last.get("eval_count").asLong()).isEqualTo(3);
        assertThat(last.get("eval_duration").asLong()).isEqualTo(60);
        assertThat(lines.subList(0, 2))
                .allSatisfy(l -> assertThat(l.get("done").asBoolean()).isFalse());
    }

    @Test
    void show_takesTheMappingsContextLengthAndCapabilities() {
        ObjectNode show = (ObjectNode) Json.parse("""
                {"model_info":{"general.architecture":"qwen3","qwen3.context_length":40960},
                 "capabilities":["completion"]}""");
        OllamaShow.enrich(show, 131072, List.of("completion", "tools", "reasoning", "code"));
        assertThat(show.at("/model_info/qwen3.context_length").asInt()).isEqualTo(131072);
        assertThat(show.get("capabilities").toString()).isEqualTo("[\"completion\",\"tools\",\"thinking\"]");

        ObjectNode made = OllamaShow.synthesize("2025-01-01T00:00:00Z", 8192, List.of());
        assertThat(made.at("/model_info/unknown.context_length").asInt()).isEqualTo(8192);
        assertThat(made.get("capabilities").toString()).isEqualTo("[\"completion\",\"tools\"]");
    }
}
