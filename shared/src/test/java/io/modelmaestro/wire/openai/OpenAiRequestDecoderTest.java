package io.modelmaestro.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiRequestDecoderTest {

    static ObjectNode body(String json) {
        return (ObjectNode) Json.parse(json);
    }

    /** A valid minimal request with {@code extra} (a JSON fragment of further fields, or "") added. */
    static String minimal(String extra) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** A request whose messages array is {@code messages}. */
    static String withMessages(String messages) {
        return "{\"model\":\"m\",\"messages\":" + messages + "}";
    }

    private static ChatRequest decode(String json) {
        return OpenAiRequestDecoder.decode(body(json));
    }

    // ---- valid requests ----

    static final String FULL_REQUEST = """
            {
              "model": "  gpt-4o  ",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
                {"role": "user", "name": "alice", "content": [
                  {"type": "text", "text": "What is in this image?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "high"}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [
                  {"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temp\\":21}"},
                {"role": "assistant", "content": "Il fait 21 degrés.", "reasoning_content": "The tool said 21."}
              ],
              "tools": [{"type": "function", "function": {
                "name": "get_weather",
                "description": "Weather by city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
              }}],
              "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
              "max_completion_tokens": 256,
              "temperature": 0.7,
              "top_p": 0.9,
              "top_k": 40,
              "stop": ["\\n\\n", "END"],
              "seed": 42,
              "frequency_penalty": 0.5,
              "presence_penalty": -0.5,
              "repeat_penalty": 1.1,
              "response_format": {"type": "json_schema",
                                  "json_schema": {"name": "weather", "schema": {"type": "object"}, "strict": true}},
              "reasoning_effort": "minimal",
              "stream": true,
              "user": "u-123"
            }
            """;

    @Test
    void decode_fullRequest_intoTheCanonicalModel() {
        ChatRequest expected = new ChatRequest(
                "gpt-4o",
                List.of(new ContentPart.Text("You are terse."), new ContentPart.Text("Answer in French.")),
                List.of(
                        new Message(
                                Role.USER,
                                List.of(
                                        new ContentPart.Text("What is in this image?"),
                                        new ContentPart.Image("image/png", "iVBORw0KGgo=", null),
                                        new ContentPart.Image(null, null, "https://example.com/cat.jpg")),
                                "alice"),
                        new Message(
                                Role.ASSISTANT,
                                List.of(new ContentPart.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")),
                                null),
                        new Message(
                                Role.TOOL, List.of(new ContentPart.ToolResult("call_1", "{\"temp\":21}", false)), null),
                        new Message(
                                Role.ASSISTANT,
                                List.of(
                                        new ContentPart.Reasoning("The tool said 21.", null),
                                        new ContentPart.Text("Il fait 21 degrés.")),
                                null)),
                List.of(
                        new ToolSpec(
                                "get_weather",
                                "Weather by city",
                                Json.parse(
                                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))),
                new ToolChoice.Named("get_weather"),
                new GenerationParams(256, 0.7, 0.9, 40, List.of("\n\n", "END"), 42L, 0.5, -0.5, 1.1),
                new ResponseFormat.JsonSchema("weather", Json.parse("{\"type\":\"object\"}"), true),
                new ReasoningConfig(true, "low", null),
                true,
                "u-123");
        assertThat(decode(FULL_REQUEST)).isEqualTo(expected);
    }

    @Test
    void decode_minimalRequest_hasDefaults() {
        ChatRequest r = decode(minimal(""));
        assertThat(r)
                .isEqualTo(new ChatRequest(
                        "m",
                        List.of(),
                        List.of(Message.text(Role.USER, "hi")),
                        List.of(),
                        null,
                        GenerationParams.none(),
                        null,
                        null,
                        false,
                        null));
    }

    @Test
    void decode_assistantToolCallArgumentsAsObject_areKeptAsJsonText() {
        ChatRequest r = decode(withMessages("""
                [{"role": "assistant", "tool_calls": [
                  {"id": "c1", "function": {"name": "f", "arguments": {"a": [1, 2], "b": "x"}}},
                  {"function": {"name": "g"}}
                ]}]
                """));
        List<ContentPart> parts = r.messages().get(0).content();
        assertThat(parts).hasSize(2);
        ContentPart.ToolCall first = (ContentPart.ToolCall) parts.get(0);
        assertThat(first.id()).isEqualTo("c1");
        assertThat(Json.parse(first.arguments())).isEqualTo(Json.parse("{\"a\":[1,2],\"b\":\"x\"}"));
        assertThat(parts.get(1))
                .as("missing id and arguments get defaults")
                .isEqualTo(new ContentPart.ToolCall("call_1", "g", "{}"));
    }

    @Test
    void decode_toolMessageWithArrayContent_joinsTheText() {
        ChatRequest r = decode(withMessages("""
                [{"role": "tool", "tool_call_id": "c1",
                  "content": [{"type": "text", "text": "part one, "}, "part two"]}]
                """));
        assertThat(r.messages())
                .containsExactly(new Message(
                        Role.TOOL, List.of(new ContentPart.ToolResult("c1", "part one, part two", false)), null));
    }

    @Test
    void decode_deprecatedFunctionRole_becomesAToolResultKeyedByName() {
        ChatRequest r = decode(withMessages("[{\"role\":\"function\",\"name\":\"lookup\",\"content\":\"42\"}]"));
        assertThat(r.messages())
                .containsExactly(
                        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("lookup", "42", false)), null));
    }

    @Test
    void decode_unknownUserPartType_isKeptAsUnknown() {
        String part = "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA=\",\"format\":\"wav\"}}";
        ChatRequest r = decode(withMessages("[{\"role\":\"user\",\"content\":[" + part + "]}]"));
        assertThat(r.messages().get(0).content())
                .containsExactly(new ContentPart.Unknown("input_audio", Json.parse(part)));
    }

    @Test
    void decode_imageUrlAsBareString_isAccepted() {
        ChatRequest r = decode(withMessages(
                "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://x.test/a.png\"}]}]"));
        assertThat(r.messages().get(0).content())
                .containsExactly(new ContentPart.Image(null, null, "https://x.test/a.png"));
    }

    @Test
    void decode_nonFunctionToolsAreSkipped_andMissingParametersBecomeAnEmptySchema() {
        ChatRequest r = decode(minimal("""
                "tools": [{"type": "web_search"}, {"function": {"name": "noargs"}}]
                """));
        assertThat(r.tools())
                .containsExactly(new ToolSpec("noargs", null, Json.parse("{\"type\":\"object\",\"properties\":{}}")));
    }

    static Stream<Arguments> toolChoices() {
        return Stream.of(
                Arguments.of("\"auto\"", new ToolChoice.Auto()),
                Arguments.of("\"none\"", new ToolChoice.None()),
                Arguments.of("\"required\"", new ToolChoice.Required()),
                Arguments.of("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}", new ToolChoice.Named("f")),
                Arguments.of("null", null));
    }

    @ParameterizedTest(name = "tool_choice {0}")
    @MethodSource("toolChoices")
    void decode_toolChoice(String json, @Nullable ToolChoice expected) {
        assertThat(decode(minimal("\"tool_choice\":" + json)).toolChoice()).isEqualTo(expected);
    }

    static Stream<Arguments> maxTokens() {
        return Stream.of(
                Arguments.of("\"max_tokens\":100", 100),
                Arguments.of("\"max_completion_tokens\":50", 50),
                Arguments.of("\"max_completion_tokens\":50,\"max_tokens\":100", 50),
                Arguments.of("\"max_tokens\":0", null), // Kilo Code's "no limit"
                Arguments.of("\"max_tokens\":-1", null),
                Arguments.of("\"max_completion_tokens\":0", null),
                Arguments.of("\"max_tokens\":null", null));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("maxTokens")
    void decode_maxTokens_nonPositiveBecomesNull(String fields, @Nullable Integer expected) {
        assertThat(decode(minimal(fields)).params().maxTokens()).isEqualTo(expected);
    }

    @Test
    void decode_stopAsString_isAOneElementList() {
        assertThat(decode(minimal("\"stop\":\"END\"")).params().stop()).containsExactly("END");
    }

    static Stream<Arguments> temperatures() {
        return Stream.of(Arguments.of("0", 0.0), Arguments.of("2", 2.0), Arguments.of("1.25", 1.25));
    }

    @ParameterizedTest(name = "temperature {0}")
    @MethodSource("temperatures")
    void decode_temperatureBoundsAreInclusive(String json, double expected) {
        assertThat(decode(minimal("\"temperature\":" + json)).params().temperature())
                .isEqualTo(expected);
    }

    static Stream<Arguments> reasoning() {
        return Stream.of(
                Arguments.of("\"reasoning_effort\":\"high\"", new ReasoningConfig(true, "high", null)),
                Arguments.of("\"reasoning_effort\":\"minimal\"", new ReasoningConfig(true, "low", null)),
                Arguments.of("\"reasoning_effort\":\"none\"", new ReasoningConfig(false, "none", null)),
                Arguments.of("\"reasoning\":{\"effort\":\"medium\"}", new ReasoningConfig(true, "medium", null)),
                Arguments.of(
                        "\"reasoning_effort\":\"low\",\"reasoning\":{\"effort\":\"high\"}",
                        new ReasoningConfig(true, "low", null)),
                Arguments.of("\"stream\":false", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasoning")
    void decode_reasoningEffort(String fields, @Nullable ReasoningConfig expected) {
        assertThat(decode(minimal(fields)).reasoning()).isEqualTo(expected);
    }

    static Stream<Arguments> responseFormats() {
        return Stream.of(
                Arguments.of("{\"type\":\"text\"}", new ResponseFormat.Text()),
                Arguments.of("{\"type\":\"json_object\"}", new ResponseFormat.JsonObject()),
                Arguments.of(
                        "{\"type\":\"json_schema\",\"json_schema\":{}}",
                        new ResponseFormat.JsonSchema("response", Json.object(), null)),
                Arguments.of(
                        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"schema\":{\"type\":\"array\"},\"strict\":false}}",
                        new ResponseFormat.JsonSchema("n", Json.parse("{\"type\":\"array\"}"), false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseFormats")
    void decode_responseFormat(String json, ResponseFormat expected) {
        assertThat(decode(minimal("\"response_format\":" + json)).responseFormat())
                .isEqualTo(expected);
    }

    // ---- invalid requests ----

    static Stream<Arguments> invalid() {
        String longModel = "x".repeat(256);
        return Stream.of(
                // model
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
                Arguments.of("{\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
                Arguments.of("{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
                Arguments.of("{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
                Arguments.of("{\"model\":\"   \",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
                Arguments.of(
                        "{\"model\":\"" + longModel + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "model"),
                // messages
                Arguments.of("{\"model\":\"m\"}", "messages"),
                Arguments.of(withMessages("null"), "messages"),
                Arguments.of(withMessages("\"hi\""), "messages"),
                Arguments.of(withMessages("{}"), "messages"),
                Arguments.of(withMessages("[]"), "messages"),
                Arguments.of(withMessages("[5]"), "messages[0]"),
                Arguments.of(withMessages("[{\"role\":\"user\",\"content\":\"ok\"},\"hi\"]"), "messages[1]"),
                Arguments.of(withMessages("[{\"content\":\"hi\"}]"), "messages[0].role"),
                Arguments.of(withMessages("[{\"role\":5,\"content\":\"hi\"}]"), "messages[0].role"),
                Arguments.of(withMessages("[{\"role\":\"robot\",\"content\":\"hi\"}]"), "messages[0].role"),
                Arguments.of(withMessages("[{\"role\":\"User\",\"content\":\"hi\"}]"), "messages[0].role"),
                Arguments.of(withMessages("[{\"role\":\"user\",\"content\":\"hi\",\"name\":5}]"), "messages[0].name"),
                // user content
                Arguments.of(withMessages("[{\"role\":\"user\"}]"), "messages[0].content"),
                Arguments.of(withMessages("[{\"role\":\"user\",\"content\":null}]"), "messages[0].content"),
                Arguments.of(withMessages("[{\"role\":\"user\",\"content\":5}]"), "messages[0].content"),
                Arguments.of(withMessages("[{\"role\":\"user\",\"content\":{}}]"), "messages[0].content"),
                Arguments.of(
                        withMessages("[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]"),
                        "messages[0].content[0].type"),
                Arguments.of(
                        withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]"),
                        "messages[0].content[0].text"),
                Arguments.of(
                        withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}]"),
                        "messages[0].content[0].text"),
                Arguments.of(
                        withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                                + "{\"type\":\"image_url\"}]}]"),
                        "messages[0].content[1].image_url.url"),
                Arguments.of(
                        withMessages(
                                "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":5}}]}]"),
                        "messages[0].content[0].image_url.url"),
                // system / developer content
                Arguments.of(withMessages("[{\"role\":\"system\",\"content\":5}]"), "messages[0].content"),
                Arguments.of(
                        withMessages("[{\"role\":\"developer\",\"content\":[{\"foo\":1}]}]"),
                        "messages[0].content[0].type"),
                Arguments.of(
                        withMessages("[{\"role\":\"system\",\"content\":[{\"type\":\"text\"}]}]"),
                        "messages[0].content[0].text"),
                // tool messages
                Arguments.of(withMessages("[{\"role\":\"tool\",\"content\":\"x\"}]"), "messages[0].tool_call_id"),
                Arguments.of(
                        withMessages("[{\"role\":\"tool\",\"tool_call_id\":5,\"content\":\"x\"}]"),
                        "messages[0].tool_call_id"),
                Arguments.of(withMessages("[{\"role\":\"tool\",\"tool_call_id\":\"c\"}]"), "messages[0].content"),
                Arguments.of(
                        withMessages("[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":true}]"),
                        "messages[0].content"),
                // assistant messages
                Arguments.of(withMessages("[{\"role\":\"assistant\",\"content\":5}]"), "messages[0].content"),
                Arguments.of(
                        withMessages("[{\"role\":\"assistant\",\"reasoning_content\":5}]"),
                        "messages[0].reasoning_content"),
                Arguments.of(withMessages("[{\"role\":\"assistant\",\"tool_calls\":{}}]"), "messages[0].tool_calls"),
                Arguments.of(
                        withMessages("[{\"role\":\"assistant\",\"tool_calls\":[5]}]"),
                        "messages[0].tool_calls[0].function"),
                Arguments.of(
                        withMessages("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\"}]}]"),
                        "messages[0].tool_calls[0].function"),
                Arguments.of(
                        withMessages("[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{}}]}]"),
                        "messages[0].tool_calls[0].function.name"),
                Arguments.of(
                        withMessages(
                                "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":5,\"function\":{\"name\":\"f\"}}]}]"),
                        "messages[0].tool_calls[0].id"),
                // tools
                Arguments.of(minimal("\"tools\":{}"), "tools"),
                Arguments.of(minimal("\"tools\":[5]"), "tools[0]"),
                Arguments.of(minimal("\"tools\":[{\"type\":\"function\"}]"), "tools[0].function"),
                Arguments.of(minimal("\"tools\":[{\"type\":\"function\",\"function\":{}}]"), "tools[0].function.name"),
                Arguments.of(
                        minimal(
                                "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"x\"}}]"),
                        "tools[0].function.parameters"),
                Arguments.of(
                        minimal("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":5}}]"),
                        "tools[0].function.description"),
                // tool_choice
                Arguments.of(minimal("\"tool_choice\":\"sometimes\""), "tool_choice"),
                Arguments.of(minimal("\"tool_choice\":5"), "tool_choice"),
                Arguments.of(minimal("\"tool_choice\":true"), "tool_choice"),
                Arguments.of(minimal("\"tool_choice\":[]"), "tool_choice"),
                Arguments.of(minimal("\"tool_choice\":{\"type\":\"function\"}"), "tool_choice.function.name"),
                // sampling
                Arguments.of(minimal("\"temperature\":2.5"), "temperature"),
                Arguments.of(minimal("\"temperature\":-0.1"), "temperature"),
                Arguments.of(minimal("\"temperature\":\"hot\""), "temperature"),
                Arguments.of(minimal("\"top_p\":1.5"), "top_p"),
                Arguments.of(minimal("\"top_p\":-1"), "top_p"),
                Arguments.of(minimal("\"top_p\":\"x\""), "top_p"),
                Arguments.of(minimal("\"top_k\":\"x\""), "top_k"),
                Arguments.of(minimal("\"top_k\":1.5"), "top_k"),
                Arguments.of(minimal("\"stop\":5"), "stop"),
                Arguments.of(minimal("\"stop\":{}"), "stop"),
                Arguments.of(minimal("\"stop\":[\"a\",1]"), "stop"),
                Arguments.of(minimal("\"max_tokens\":\"100\""), "max_tokens"),
                Arguments.of(minimal("\"max_tokens\":1.5"), "max_tokens"),
                Arguments.of(minimal("\"max_tokens\":10000000000"), "max_tokens"),
                Arguments.of(minimal("\"max_completion_tokens\":\"x\""), "max_completion_tokens"),
                Arguments.of(minimal("\"seed\":1.5"), "seed"),
                Arguments.of(minimal("\"seed\":\"42\""), "seed"),
                Arguments.of(minimal("\"n\":1.5"), "n"),
                Arguments.of(minimal("\"frequency_penalty\":\"x\""), "frequency_penalty"),
                Arguments.of(minimal("\"presence_penalty\":true"), "presence_penalty"),
                Arguments.of(minimal("\"repeat_penalty\":[]"), "repeat_penalty"),
                // other
                Arguments.of(minimal("\"stream\":\"yes\""), "stream"),
                Arguments.of(minimal("\"stream\":1"), "stream"),
                Arguments.of(minimal("\"user\":5"), "user"),
                Arguments.of(minimal("\"reasoning_effort\":5"), "reasoning_effort"),
                Arguments.of(minimal("\"response_format\":\"json\""), "response_format.type"),
                Arguments.of(minimal("\"response_format\":{}"), "response_format.type"),
                Arguments.of(minimal("\"response_format\":{\"type\":\"xml\"}"), "response_format.type"),
                Arguments.of(minimal("\"response_format\":{\"type\":\"json_schema\"}"), "response_format.json_schema"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("invalid")
    void decode_invalidRequest_namesTheOffendingParameter(String json, String param) {
        GatewayException.InvalidRequest e =
                catchThrowableOfType(GatewayException.InvalidRequest.class, () -> decode(json));
        assertThat(e).as("expected InvalidRequest for %s", json).isNotNull();
        assertThat(e.param()).isEqualTo(param);
        assertThat(e.getMessage()).contains(param);
    }

    @Test
    void requiredModel_stripsSurroundingWhitespace() {
        JsonNode body = body("{\"model\":\"  llama3:8b \"}");
        assertThat(OpenAiRequestDecoder.requiredModel(body)).isEqualTo("llama3:8b");
    }

    @Test
    void requiredModel_acceptsExactly255Characters() {
        String name = "m".repeat(255);
        assertThat(OpenAiRequestDecoder.requiredModel(body("{\"model\":\"" + name + "\"}")))
                .isEqualTo(name);
    }
}
