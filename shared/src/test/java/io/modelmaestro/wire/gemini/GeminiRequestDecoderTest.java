package io.modelmaestro.wire.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.ResponseFormat;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.ToolChoice;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiRequestDecoderTest {

    static GeminiRequest decode(String json) {
        return GeminiRequestDecoder.decode(Json.parse(json), "m", false);
    }

    @Test
    void contentsRolesSystemAndImages() {
        ChatRequest r = decode("""
                {"systemInstruction":{"parts":[{"text":"a"},{"text":"b"}]},
                 "contents":[
                   {"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/jpeg","data":"QUJD"}}]},
                   {"role":"model","parts":[{"text":"hmm","thought":true,"thoughtSignature":"sig"},{"text":"a cat"}]},
                   {"parts":[{"text":"thanks"}]}]}""").chat();
        assertThat(r.system()).containsExactly(new ContentPart.Text("a\n\nb"));
        assertThat(r.messages()).hasSize(3);
        assertThat(r.messages().get(0).role()).isEqualTo(Role.USER);
        assertThat(r.messages().get(0).content().get(1)).isEqualTo(new ContentPart.Image("image/jpeg", "QUJD", null));
        assertThat(r.messages().get(1).role()).isEqualTo(Role.ASSISTANT);
        assertThat(r.messages().get(1).content())
                .containsExactly(new ContentPart.Reasoning("hmm", "sig"), new ContentPart.Text("a cat"));
        assertThat(r.messages().get(2).role()).isEqualTo(Role.USER);
    }

    @Test
    void callsWithoutIds_getStableIds_andResponsesMatchByNameAndOrder() {
        String body = """
                {"contents":[
                  {"role":"user","parts":[{"text":"go"}]},
                  {"role":"model","parts":[{"functionCall":{"name":"read","args":{"f":"a"}}},
                                           {"functionCall":{"name":"read","args":{"f":"b"}}},
                                           {"functionCall":{"name":"ls.dir"}}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"ls.dir","response":{"output":"x"}}},
                                          {"functionResponse":{"name":"read","response":{"output":"A"}}},
                                          {"functionResponse":{"name":"read","response":{"error":"no such file"}}}]}]}""";
        ChatRequest r = decode(body).chat();
        List<ContentPart> calls = r.messages().get(1).content();
        assertThat(calls)
                .containsExactly(
                        new ContentPart.ToolCall("call_read_0", "read", "{\"f\":\"a\"}"),
                        new ContentPart.ToolCall("call_read_1", "read", "{\"f\":\"b\"}"),
                        new ContentPart.ToolCall("call_ls_dir_2", "ls.dir", "{}"));
        assertThat(r.messages().get(2).role()).isEqualTo(Role.TOOL);
        assertThat(r.messages().get(2).content())
                .containsExactly(
                        new ContentPart.ToolResult("call_ls_dir_2", "x", false),
                        new ContentPart.ToolResult("call_read_0", "A", false),
                        new ContentPart.ToolResult("call_read_1", "no such file", true));
        // the same history decodes to the same ids
        assertThat(decode(body).chat().messages()).isEqualTo(r.messages());
    }

    @Test
    void explicitIdsAreKept() {
        ChatRequest r = decode("""
                {"contents":[{"role":"model","parts":[{"functionCall":{"id":"toolu_1","name":"f","args":{}}}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"a":1}}}]}]}""").chat();
        assertThat(r.messages().get(1).content())
                .containsExactly(new ContentPart.ToolResult("toolu_1", "{\"a\":1}", false));
    }

    @Test
    void schemasAreNormalisedToJsonSchema() {
        ChatRequest r = decode("""
                {"contents":[{"parts":[{"text":"x"}]}],
                 "tools":[{"functionDeclarations":[{"name":"f","description":"d","parameters":{
                    "type":"OBJECT","propertyOrdering":["a"],
                    "properties":{"a":{"type":"STRING","enum":["X","Y"],"nullable":true},
                                  "type":{"type":"ARRAY","minItems":"1","items":{"type":"INTEGER","format":"int32"}},
                                  "u":{"type":"TYPE_UNSPECIFIED","description":"any"}},
                    "required":["a"]}}]},
                   {"functionDeclarations":[{"name":"g","parametersJsonSchema":{"type":"object","properties":{"q":{"type":"string"}}}},
                                            {"name":"h"}]},
                   {"googleSearch":{}}]}""").chat();
        assertThat(r.tools()).hasSize(3);
        JsonNode f = r.tools().get(0).parameters();
        assertThat(Json.writeString(f))
                .isEqualTo("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"],"
                        + "\"enum\":[\"X\",\"Y\"]},\"type\":{\"type\":\"array\",\"minItems\":1,\"items\":"
                        + "{\"type\":\"integer\",\"format\":\"int32\"}},\"u\":{\"description\":\"any\"}},"
                        + "\"required\":[\"a\"]}");
        assertThat(r.tools().get(1).parameters().at("/properties/q/type").asText())
                .isEqualTo("string");
        assertThat(Json.writeString(r.tools().get(2).parameters()))
                .isEqualTo("{\"type\":\"object\",\"properties\":{},\"required\":[]}");
    }

    @Test
    void toolConfigGenerationConfigAndThinking() {
        GeminiRequest g = decode("""
                {"contents":[{"parts":[{"text":"x"}]}],
                 "tools":[{"functionDeclarations":[{"name":"a"},{"name":"b"},{"name":"c"}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["a","c"]}},
                 "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
                 "generationConfig":{"temperature":0.2,"topP":0.9,"topK":40,"maxOutputTokens":100,
                   "stopSequences":["END"],"candidateCount":1,"seed":7,
                   "responseMimeType":"application/json",
                   "responseSchema":{"type":"OBJECT","properties":{"n":{"type":"NUMBER"}}},
                   "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}""");
        ChatRequest r = g.chat();
        assertThat(r.tools()).extracting(t -> t.name()).containsExactly("a", "c");
        assertThat(r.toolChoice()).isEqualTo(new ToolChoice.Required());
        assertThat(r.params().temperature()).isEqualTo(0.2);
        assertThat(r.params().topK()).isEqualTo(40);
        assertThat(r.params().maxTokens()).isEqualTo(100);
        assertThat(r.params().stop()).containsExactly("END");
        assertThat(r.params().seed()).isEqualTo(7L);
        assertThat(r.responseFormat()).isInstanceOf(ResponseFormat.JsonSchema.class);
        assertThat(((ResponseFormat.JsonSchema) r.responseFormat())
                        .schema()
                        .at("/properties/n/type")
                        .asText())
                .isEqualTo("number");
        assertThat(r.reasoning()).isEqualTo(new ReasoningConfig(true, null, 1024));
        assertThat(g.includeThoughts()).isTrue();

        assertThat(decode(
                                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":0}}}")
                        .chat()
                        .reasoning())
                .isNull();
        assertThat(decode(
                                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"functionDeclarations\":[{\"name\":\"a\"}]}],"
                                        + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"a\"]}}}")
                        .chat()
                        .toolChoice())
                .isEqualTo(new ToolChoice.Named("a"));
    }

    @Test
    void snakeCaseFieldsAreAccepted() {
        ChatRequest r = decode("""
                {"system_instruction":{"parts":[{"text":"s"}]},"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"image/png","data":"QQ=="}}]}],
                 "generation_config":{"max_output_tokens":9}}""").chat();
        assertThat(r.system()).containsExactly(new ContentPart.Text("s"));
        assertThat(r.messages().get(0).content().get(0)).isEqualTo(new ContentPart.Image("image/png", "QQ==", null));
        assertThat(r.params().maxTokens()).isEqualTo(9);
    }

    @Test
    void invalidRequestsNameTheField() {
        assertInvalid("{}", "contents");
        assertInvalid("{\"contents\":[{\"role\":\"bot\",\"parts\":[{\"text\":\"x\"}]}]}", "contents[0].role");
        assertInvalid("{\"contents\":[{\"parts\":[]}]}", "contents[0].parts");
        assertInvalid("{\"contents\":[{\"parts\":[{\"text\":1}]}]}", "contents[0].parts[0].text");
        assertInvalid(
                "{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"x\"}}]}]}",
                "contents[0].parts[0].inlineData.mimeType");
        assertInvalid(
                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"candidateCount\":3}}",
                "generationConfig.candidateCount");
        assertInvalid(
                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"SOMETIMES\"}}}",
                "toolConfig.functionCallingConfig.mode");
        assertInvalid(
                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseMimeType\":\"text/x.enum\"}}",
                "generationConfig.responseMimeType");
    }

    static void assertInvalid(String body, String param) {
        assertThatThrownBy(() -> decode(body))
                .isInstanceOfSatisfying(
                        GatewayException.InvalidRequest.class,
                        e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void responsesAndUsageBothWays() {
        ChatResult result = new ChatResult(
                "id",
                "real",
                List.of(
                        new ContentPart.Reasoning("think", "sig"),
                        new ContentPart.Text("hi"),
                        new ContentPart.ToolCall("c1", "f", "{\"a\":1}")),
                FinishReason.TOOL_CALLS,
                null,
                new Usage(120, 30, 100, 0));
        JsonNode hidden = GeminiResponseCodec.encode(result, "shown", "rid", false);
        assertThat(hidden.at("/candidates/0/content/parts").size()).isEqualTo(2);
        JsonNode body = GeminiResponseCodec.encode(result, "shown", "rid", true);
        assertThat(Json.writeString(body))
                .isEqualTo("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"think\",\"thought\":true,"
                        + "\"thoughtSignature\":\"sig\"},{\"text\":\"hi\"},{\"functionCall\":{\"id\":\"c1\","
                        + "\"name\":\"f\",\"args\":{\"a\":1}}}],\"role\":\"model\"},\"finishReason\":\"STOP\","
                        + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":120,\"candidatesTokenCount\":30,"
                        + "\"totalTokenCount\":150,\"cachedContentTokenCount\":100},\"modelVersion\":\"shown\","
                        + "\"responseId\":\"rid\"}");
        ChatResult back = GeminiResponseCodec.decode(body);
        assertThat(back.content()).isEqualTo(result.content());
        assertThat(back.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(back.usage()).isEqualTo(new Usage(120, 30, 100, 0));
        assertThat(
                        GeminiResponseCodec.usage(
                                Json.parse(
                                        "{\"promptTokenCount\":10,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":7,\"totalTokenCount\":22}")))
                .isEqualTo(new Usage(10, 12, 0, 0));
        assertThat(GeminiFinishReasons.toGemini(FinishReason.LENGTH)).isEqualTo("MAX_TOKENS");
        assertThat(GeminiFinishReasons.toGemini(FinishReason.CONTENT_FILTER)).isEqualTo("SAFETY");
        assertThat(GeminiFinishReasons.toCanonical("SAFETY", false)).isEqualTo(FinishReason.CONTENT_FILTER);
    }
}
