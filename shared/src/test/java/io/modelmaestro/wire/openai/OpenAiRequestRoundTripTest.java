package io.modelmaestro.wire.openai;

import static io.modelmaestro.wire.openai.OpenAiRequestDecoderTest.body;
import static io.modelmaestro.wire.openai.OpenAiRequestDecoderTest.minimal;
import static io.modelmaestro.wire.openai.OpenAiRequestDecoderTest.withMessages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** decode → encode → decode gives back the same canonical request. */
class OpenAiRequestRoundTripTest {

    /** Serialises and re-parses, so that JSON is compared as the wire sees it (number node types differ). */
    private static JsonNode wire(JsonNode node) {
        return Json.parse(Json.write(node));
    }

    /**
     * Everything the encoder carries. Not in it, by design: several system messages (joined into one), {@code
     * repeat_penalty} (not an OpenAI parameter), a name on assistant messages.
     */
    static final String RICH_REQUEST = """
            {
              "model": "gpt-4o",
              "messages": [
                {"role": "developer", "content": "Be terse."},
                {"role": "user", "name": "alice", "content": [
                  {"type": "text", "text": "What is in this image?"},
                  {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}
                ]},
                {"role": "assistant", "content": null, "reasoning_content": "Need the weather.", "tool_calls": [
                  {"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temp\\":21}"},
                {"role": "assistant", "content": "A cat. It is 21 degrees."},
                {"role": "user", "content": "Thanks"}
              ],
              "tools": [{"type": "function", "function": {
                "name": "get_weather",
                "description": "Weather by city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
              }}],
              "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
              "max_tokens": 256,
              "temperature": 0.7,
              "top_p": 0.9,
              "top_k": 40,
              "stop": ["\\n\\n", "END"],
              "seed": 42,
              "frequency_penalty": 0.5,
              "presence_penalty": -0.5,
              "response_format": {"type": "json_schema",
                                  "json_schema": {"name": "weather", "schema": {"type": "object"}, "strict": true}},
              "reasoning_effort": "high",
              "stream": true,
              "user": "u-123"
            }
            """;

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("minimal", minimal("")),
                Arguments.of("rich request", RICH_REQUEST),
                Arguments.of("tool_choice auto", minimal("\"tool_choice\":\"auto\"")),
                Arguments.of("tool_choice none", minimal("\"tool_choice\":\"none\"")),
                Arguments.of("tool_choice required", minimal("\"tool_choice\":\"required\"")),
                Arguments.of("json_object", minimal("\"response_format\":{\"type\":\"json_object\"}")),
                Arguments.of("text format", minimal("\"response_format\":{\"type\":\"text\"}")),
                Arguments.of(
                        "json_schema without strict",
                        minimal(
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                                        + "\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":0.5}}}}}")),
                Arguments.of("reasoning none", minimal("\"reasoning_effort\":\"none\"")),
                Arguments.of("reasoning object", minimal("\"reasoning\":{\"effort\":\"high\"}")),
                Arguments.of("stop string", minimal("\"stop\":\"END\",\"max_tokens\":12,\"seed\":-7")),
                Arguments.of("big seed", minimal("\"seed\":9007199254740993")),
                Arguments.of("not streaming explicitly", minimal("\"stream\":false,\"temperature\":0")),
                Arguments.of(
                        "function role",
                        withMessages("[{\"role\":\"user\",\"content\":\"q\"},"
                                + "{\"role\":\"function\",\"name\":\"lookup\",\"content\":\"42\"}]")),
                Arguments.of("assistant with text and tool calls", withMessages("""
                                [{"role": "user", "content": "weather?"},
                                 {"role": "assistant", "content": "Let me check.", "tool_calls": [
                                   {"id": "a", "type": "function", "function": {"name": "w", "arguments": "{}"}},
                                   {"id": "b", "type": "function", "function": {"name": "t", "arguments": "{\\"tz\\":\\"UTC\\"}"}}
                                 ]},
                                 {"role": "tool", "tool_call_id": "a", "content": "sunny"},
                                 {"role": "tool", "tool_call_id": "b", "content": "12:00"}]
                                """)),
                Arguments.of(
                        "assistant with empty content",
                        withMessages(
                                "[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"\"}]")),
                Arguments.of(
                        "user with unknown part type",
                        withMessages(
                                "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"listen\"},"
                                        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA=\",\"format\":\"wav\"}}]}]")),
                Arguments.of(
                        "multi-byte text",
                        withMessages("[{\"role\":\"system\",\"content\":\"Réponds en 日本語 😀\"},"
                                + "{\"role\":\"user\",\"content\":\"ça va?\"}]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void decodeEncodeDecode_givesAnEqualRequest(String name, String json) {
        ChatRequest original = OpenAiRequestDecoder.decode(body(json));
        ObjectNode encoded = OpenAiRequestEncoder.encode(original, original.model());
        assertThat(OpenAiRequestDecoder.decode(encoded))
                .as("from the encoder's tree")
                .isEqualTo(original);
        assertThat(OpenAiRequestDecoder.decode((ObjectNode) wire(encoded)))
                .as("from the encoder's bytes")
                .isEqualTo(original);
    }

    @Test
    void encode_usesTheUpstreamModelName() {
        ChatRequest r = OpenAiRequestDecoder.decode(body(minimal("")));
        assertThat(OpenAiRequestEncoder.encode(r, "llama3:8b").get("model").asText())
                .isEqualTo("llama3:8b");
    }

    @Test
    void encode_minimalRequest_producesTheExpectedBody() {
        ChatRequest r = OpenAiRequestDecoder.decode(body(minimal("")));
        assertThat(wire(OpenAiRequestEncoder.encode(r, "m")))
                .isEqualTo(Json.parse(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false}"));
    }

    @Test
    void encode_streaming_asksForUsage() {
        ChatRequest r = OpenAiRequestDecoder.decode(body(minimal("\"stream\":true")));
        JsonNode encoded = wire(OpenAiRequestEncoder.encode(r, "m"));
        assertThat(encoded.get("stream").asBoolean()).isTrue();
        assertThat(encoded.get("stream_options")).isEqualTo(Json.parse("{\"include_usage\":true}"));
    }

    @Test
    void encode_systemPartsAreJoinedIntoOneLeadingSystemMessage() {
        ChatRequest r = OpenAiRequestDecoder.decode(body(withMessages("""
                [{"role": "user", "content": "hi"},
                 {"role": "system", "content": "one"},
                 {"role": "developer", "content": "two"}]
                """)));
        JsonNode messages = wire(OpenAiRequestEncoder.encode(r, "m")).get("messages");
        assertThat(messages)
                .isEqualTo(Json.parse(
                        "[{\"role\":\"system\",\"content\":\"one\\n\\ntwo\"},{\"role\":\"user\",\"content\":\"hi\"}]"));
    }

    @Test
    void encode_assistantWithOnlyToolCalls_hasNullContent() {
        ChatRequest r = OpenAiRequestDecoder.decode(
                body(
                        withMessages(
                                "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]")));
        JsonNode message =
                wire(OpenAiRequestEncoder.encode(r, "m")).get("messages").get(0);
        assertThat(message).isEqualTo(Json.parse("""
                        {"role": "assistant", "content": null, "tool_calls": [
                          {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}
                        """));
    }

    @Test
    void encode_toolMessageWithExtraText_addsAUserMessageAfterTheResults() {
        ChatRequest r = new ChatRequest(
                "m",
                List.of(),
                List.of(new Message(
                        Role.TOOL,
                        List.of(
                                new ContentPart.ToolResult("c1", "r1", false),
                                new ContentPart.Text("and also this"),
                                new ContentPart.ToolResult("c2", "r2", true)),
                        null)),
                List.of(),
                null,
                GenerationParams.none(),
                null,
                null,
                false,
                null);
        JsonNode messages = wire(OpenAiRequestEncoder.encode(r, "m")).get("messages");
        assertThat(messages).isEqualTo(Json.parse("""
                        [{"role": "tool", "tool_call_id": "c1", "content": "r1"},
                         {"role": "tool", "tool_call_id": "c2", "content": "r2"},
                         {"role": "user", "content": "and also this"}]
                        """));
    }
}
