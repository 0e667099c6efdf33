package io.modelmaestro.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.core.stream.StreamEvent.BlockKind;
import io.modelmaestro.core.stream.StreamFolder;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI stream chunks → {@link StreamEvent}s → OpenAI SSE frames, and the fold to a {@link ChatResult}. */
class OpenAiStreamTest {

    private static final String DISPLAY_MODEL = "my-model";
    private static final long CREATED = 1_700_000_000L;

    private static String chunk(String choices) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":" + choices + "}";
    }

    private static String delta(String delta, @Nullable String finish) {
        return chunk("[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]");
    }

    /** What OpenAI sends for a text answer followed by two parallel tool calls. */
    private static final List<String> TOOL_STREAM = List.of(
            delta("{\"role\":\"assistant\",\"content\":\"\"}", null),
            delta("{\"content\":\"Hel\"}", null),
            delta("{\"content\":\"lo, wörld 😀\"}", null),
            delta(
                    "{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                    null),
            delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null),
            delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null),
            delta(
                    "{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                            + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\"\"}}]}",
                    null),
            delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\":\\\"CET\\\"}\"}}]}", null),
            delta("{}", "tool_calls"),
            chunk("[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":4}}"));

    private static final String TOOL_BODY = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
             "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
               "role": "assistant",
               "content": "Hello, wörld 😀",
               "tool_calls": [
                 {"id": "call_a", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                 {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{\\"tz\\":\\"CET\\"}"}}
               ]}}],
             "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19,
                       "prompt_tokens_details": {"cached_tokens": 4}}}
            """;

    /** The stream as bytes on the wire, as an upstream would send it. */
    private static byte[] sse(List<String> chunks) {
        StringBuilder out = new StringBuilder();
        for (String c : chunks) {
            out.append("data: ").append(c).append("\n\n");
        }
        out.append("data: [DONE]\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Upstream SSE bytes → canonical events, via the SSE decoder and the OpenAI stream decoder. */
    private static List<StreamEvent> decodeStream(byte[] bytes) {
        SseDecoder sse = new SseDecoder();
        List<SseEvent> frames = new ArrayList<>(sse.feed(bytes));
        frames.addAll(sse.finish());
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        for (SseEvent frame : frames) {
            if (frame.data().equals("[DONE]")) {
                break;
            }
            events.addAll(decoder.decode(Json.parse(frame.data())));
        }
        events.addAll(decoder.finish());
        return events;
    }

    private static byte[] encodeStream(List<StreamEvent> events, boolean includeUsage) {
        OpenAiStreamEncoder encoder =
                new OpenAiStreamEncoder(DISPLAY_MODEL, "chatcmpl-fallback", CREATED, includeUsage);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StreamEvent e : events) {
            encoder.encode(e).forEach(out::writeBytes);
        }
        encoder.complete().forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The data of every frame in {@code bytes}. */
    private static List<String> frames(byte[] bytes) {
        SseDecoder sse = new SseDecoder();
        List<SseEvent> events = new ArrayList<>(sse.feed(bytes));
        events.addAll(sse.finish());
        assertThat(events).allSatisfy(e -> assertThat(e.event()).isNull());
        return events.stream().map(SseEvent::data).toList();
    }

    private static ChatResult fold(List<StreamEvent> events) {
        StreamFolder folder = new StreamFolder();
        events.forEach(folder::accept);
        return folder.result();
    }

    // ---- decoder ----

    @Test
    void decoder_turnsARealisticStreamIntoBlockEvents() {
        assertThat(decodeStream(sse(TOOL_STREAM)))
                .containsExactly(
                        new StreamEvent.MessageStart("chatcmpl-1", "gpt-4o"),
                        new StreamEvent.BlockStart(0, BlockKind.TEXT, null, null),
                        new StreamEvent.TextDelta(0, "Hel"),
                        new StreamEvent.TextDelta(0, "lo, wörld 😀"),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.BlockStart(1, BlockKind.TOOL_CALL, "call_a", "get_weather"),
                        new StreamEvent.ToolArgsDelta(1, "{\"city\":"),
                        new StreamEvent.ToolArgsDelta(1, "\"Paris\"}"),
                        new StreamEvent.BlockStop(1),
                        new StreamEvent.BlockStart(2, BlockKind.TOOL_CALL, "call_b", "get_time"),
                        new StreamEvent.ToolArgsDelta(2, "{\"tz\""),
                        new StreamEvent.ToolArgsDelta(2, ":\"CET\"}"),
                        new StreamEvent.BlockStop(2),
                        new StreamEvent.UsageUpdate(new Usage(12, 7, 4, 0)),
                        new StreamEvent.MessageStop(FinishReason.TOOL_CALLS, "tool_calls"));
    }

    @Test
    void decoder_holdsTheStopBackUntilFinishBecauseUsageComesAfterIt() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
        decoder.decode(Json.parse(delta("{\"content\":\"x\"}", null)));
        assertThat(decoder.decode(Json.parse(delta("{}", "stop"))))
                .noneMatch(e -> e instanceof StreamEvent.MessageStop);
        assertThat(decoder.sawFinishReason()).isTrue();
        assertThat(decoder.decode(Json.parse(chunk("[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}"))))
                .isEmpty();
        assertThat(decoder.finish())
                .containsExactly(
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.UsageUpdate(new Usage(1, 2)),
                        new StreamEvent.MessageStop(FinishReason.STOP, "stop"));
        assertThat(decoder.finish()).as("idempotent").isEmpty();
    }

    @Test
    void decoder_reasoningThenText_areSeparateBlocks() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        events.addAll(decoder.decode(Json.parse(delta("{\"reasoning_content\":\"think\"}", null))));
        events.addAll(decoder.decode(Json.parse(delta("{\"reasoning\":\"ing\"}", null))));
        events.addAll(decoder.decode(Json.parse(delta("{\"content\":\"answer\"}", "stop"))));
        events.addAll(decoder.finish());
        assertThat(events)
                .containsExactly(
                        new StreamEvent.MessageStart("chatcmpl-1", "gpt-4o"),
                        new StreamEvent.BlockStart(0, BlockKind.REASONING, null, null),
                        new StreamEvent.ReasoningDelta(0, "think", null),
                        new StreamEvent.ReasoningDelta(0, "ing", null),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.BlockStart(1, BlockKind.TEXT, null, null),
                        new StreamEvent.TextDelta(1, "answer"),
                        new StreamEvent.BlockStop(1),
                        new StreamEvent.MessageStop(FinishReason.STOP, "stop"));
    }

    @Test
    void decoder_emptyStream_stillStartsAndStops() {
        assertThat(new OpenAiStreamDecoder().finish())
                .containsExactly(
                        new StreamEvent.MessageStart("", ""), new StreamEvent.MessageStop(FinishReason.STOP, null));
    }

    @Test
    void decoder_streamWithoutFinishReason_reportsNoneSeen() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
        decoder.decode(Json.parse(delta("{\"content\":\"cut off\"}", null)));
        assertThat(decoder.sawFinishReason()).isFalse();
    }

    // ---- decoder → encoder ----

    /** The client's view of an encoded stream, reassembled. */
    private record Reassembled(
            String text,
            String reasoning,
            Map<Integer, List<String>> tools,
            List<String> finishReasons,
            @Nullable JsonNode usage,
            boolean done) {}

    private static Reassembled reassemble(List<String> frames) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Map<Integer, List<String>> tools = new TreeMap<>(); // index → [id, name, arguments]
        List<String> finishReasons = new ArrayList<>();
        JsonNode usage = null;
        boolean done = false;
        for (String data : frames) {
            assertThat(done).as("nothing after [DONE]").isFalse();
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode c = Json.parse(data);
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo("chatcmpl-1");
            assertThat(c.get("model").asText()).isEqualTo(DISPLAY_MODEL);
            assertThat(c.get("created").asLong()).isEqualTo(CREATED);
            if (c.has("usage")) {
                assertThat(c.get("choices"))
                        .as("the usage chunk has no choices")
                        .isEmpty();
                usage = c.get("usage");
                continue;
            }
            assertThat(c.get("choices")).hasSize(1);
            JsonNode choice = c.get("choices").get(0);
            assertThat(choice.get("index").asInt()).isZero();
            JsonNode d = choice.get("delta");
            if (d.hasNonNull("content")) {
                text.append(d.get("content").asText());
            }
            if (d.hasNonNull("reasoning_content")) {
                reasoning.append(d.get("reasoning_content").asText());
            }
            for (JsonNode call : d.path("tool_calls")) {
                List<String> tool =
                        tools.computeIfAbsent(call.get("index").asInt(), i -> new ArrayList<>(List.of("", "", "")));
                if (call.hasNonNull("id")) {
                    tool.set(0, call.get("id").asText());
                }
                JsonNode fn = call.path("function");
                if (fn.hasNonNull("name")) {
                    tool.set(1, fn.get("name").asText());
                }
                tool.set(2, tool.get(2) + fn.path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReasons.add(choice.get("finish_reason").asText());
            }
        }
        return new Reassembled(text.toString(), reasoning.toString(), tools, finishReasons, usage, done);
    }

    @ParameterizedTest(name = "includeUsage={0}")
    @ValueSource(booleans = {true, false})
    void decoderThenEncoder_reproducesTheStreamForTheClient(boolean includeUsage) {
        List<String> frames = frames(encodeStream(decodeStream(sse(TOOL_STREAM)), includeUsage));
        Reassembled r = reassemble(frames);
        assertThat(r.text()).isEqualTo("Hello, wörld 😀");
        assertThat(r.reasoning()).isEmpty();
        assertThat(r.tools())
                .containsExactly(
                        Map.entry(0, List.of("call_a", "get_weather", "{\"city\":\"Paris\"}")),
                        Map.entry(1, List.of("call_b", "get_time", "{\"tz\":\"CET\"}")));
        assertThat(r.finishReasons()).containsExactly("tool_calls");
        assertThat(r.done()).isTrue();
        assertThat(frames.get(frames.size() - 1)).isEqualTo("[DONE]");
        if (includeUsage) {
            assertThat(r.usage())
                    .isEqualTo(Json.parse("{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19,"
                            + "\"prompt_tokens_details\":{\"cached_tokens\":4}}"));
            assertThat(frames.get(frames.size() - 2))
                    .as("usage is the last chunk before [DONE]")
                    .contains("\"usage\"");
        } else {
            assertThat(r.usage()).isNull();
            assertThat(frames).noneMatch(f -> f.contains("\"usage\""));
        }
    }

    @Test
    void encoder_firstChunkCarriesTheRole() {
        List<String> frames = frames(encodeStream(decodeStream(sse(TOOL_STREAM)), false));
        JsonNode first = Json.parse(frames.get(0)).get("choices").get(0);
        assertThat(first.get("delta")).isEqualTo(Json.parse("{\"role\":\"assistant\",\"content\":\"\"}"));
        assertThat(first.get("finish_reason").isNull()).isTrue();
        assertThat(frames.stream().skip(1).filter(f -> f.contains("\"role\""))).isEmpty();
    }

    @Test
    void encoder_keepsTheUsageForTheCallerEvenWhenTheClientDidNotAskForIt() {
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(DISPLAY_MODEL, "id", CREATED, false);
        decodeStream(sse(TOOL_STREAM)).forEach(encoder::encode);
        assertThat(encoder.usage()).isEqualTo(new Usage(12, 7, 4, 0));
    }

    @Test
    void encoder_usesTheFallbackIdWhenTheUpstreamGaveNone() {
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(DISPLAY_MODEL, "chatcmpl-fallback", CREATED, false);
        List<byte[]> out = new ArrayList<>(encoder.encode(new StreamEvent.MessageStart("", "")));
        out.addAll(encoder.encode(new StreamEvent.MessageStop(FinishReason.LENGTH, "length")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.forEach(bytes::writeBytes);
        assertThat(frames(bytes.toByteArray()))
                .allSatisfy(f -> assertThat(Json.parse(f).get("id").asText()).isEqualTo("chatcmpl-fallback"))
                .last()
                .satisfies(f -> assertThat(
                                Json.parse(f).at("/choices/0/finish_reason").asText())
                        .isEqualTo("length"));
    }

    @Test
    void encoder_reasoningGoesOutAsReasoningContent() {
        List<String> chunks = List.of(
                delta("{\"role\":\"assistant\"}", null),
                delta("{\"reasoning_content\":\"Let me \"}", null),
                delta("{\"reasoning_content\":\"think.\"}", null),
                delta("{\"content\":\"42\"}", "stop"));
        Reassembled r = reassemble(frames(encodeStream(decodeStream(sse(chunks)), true)));
        assertThat(r.reasoning()).isEqualTo("Let me think.");
        assertThat(r.text()).isEqualTo("42");
        assertThat(r.finishReasons()).containsExactly("stop");
        assertThat(r.usage()).as("no usage from upstream, none to send").isNull();
    }

    // ---- fold vs non-stream ----

    static Stream<Arguments> equivalentStreamsAndBodies() {
        return Stream.of(
                Arguments.of("text and two tool calls", TOOL_STREAM, TOOL_BODY),
                Arguments.of(
                        "text only",
                        List.of(
                                delta("{\"role\":\"assistant\",\"content\":\"\"}", null),
                                delta("{\"content\":\"Hello\"}", null),
                                delta("{\"content\":\" world\"}", null),
                                delta("{}", "stop"),
                                chunk("[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}")),
                        """
                        {"id": "chatcmpl-1", "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Hello world"}}],
                         "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
                        """),
                Arguments.of(
                        "reasoning then text",
                        List.of(
                                delta("{\"role\":\"assistant\"}", null),
                                delta("{\"reasoning_content\":\"Six times \"}", null),
                                delta("{\"reasoning_content\":\"seven.\"}", null),
                                delta("{\"content\":\"42\"}", null),
                                delta("{}", "stop"),
                                chunk("[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}")),
                        """
                        {"id": "chatcmpl-1", "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "42",
                                                  "reasoning_content": "Six times seven."}}],
                         "usage": {"prompt_tokens": 9, "completion_tokens": 3}}
                        """),
                Arguments.of(
                        "cut off by length, no usage",
                        List.of(
                                delta("{\"role\":\"assistant\",\"content\":\"Once upon\"}", null),
                                delta("{}", "length")),
                        """
                        {"id": "chatcmpl-1", "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "length",
                                      "message": {"role": "assistant", "content": "Once upon"}}]}
                        """),
                Arguments.of(
                        "tool call only, arguments in one piece",
                        List.of(
                                delta("{\"role\":\"assistant\",\"content\":null}", null),
                                delta(
                                        "{\"tool_calls\":[{\"index\":0,\"id\":\"call_z\",\"type\":\"function\","
                                                + "\"function\":{\"name\":\"ping\",\"arguments\":\"{}\"}}]}",
                                        "tool_calls")),
                        """
                        {"id": "chatcmpl-1", "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "tool_calls",
                                      "message": {"role": "assistant", "content": null, "tool_calls": [
                                        {"id": "call_z", "type": "function",
                                         "function": {"name": "ping", "arguments": "{}"}}]}}]}
                        """),
                Arguments.of(
                        "content filter",
                        List.of(delta("{\"content\":\"I can\"}", null), delta("{}", "content_filter")),
                        """
                        {"id": "chatcmpl-1", "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "content_filter",
                                      "message": {"role": "assistant", "content": "I can"}}]}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalentStreamsAndBodies")
    void streamFolder_foldsTheStreamIntoWhatTheNonStreamBodyDecodesTo(String name, List<String> chunks, String body) {
        ChatResult folded = fold(decodeStream(sse(chunks)));
        ChatResult direct = OpenAiResponseCodec.decode(Json.parse(body));
        assertThat(folded).isEqualTo(direct);
        assertThat(folded.content()).as("the comparison is not vacuous").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalentStreamsAndBodies")
    void encodedStream_decodesBackToTheSameResult(String name, List<String> chunks, String body) {
        List<StreamEvent> events = decodeStream(sse(chunks));
        ChatResult original = fold(events);
        ChatResult again = fold(decodeStream(encodeStream(events, true)));
        assertThat(again)
                .isEqualTo(new ChatResult(
                        original.id(),
                        DISPLAY_MODEL,
                        original.content(),
                        original.finishReason(),
                        original.rawFinishReason(),
                        original.usage()));
    }

    @Test
    void streamFolder_withoutEvents_isAnEmptyStop() {
        assertThat(new StreamFolder().result())
                .isEqualTo(new ChatResult("", "", List.of(), FinishReason.STOP, null, Usage.ZERO));
    }

    @Test
    void streamFolder_toolCallWithoutArguments_getsAnEmptyObject() {
        StreamFolder folder = new StreamFolder();
        folder.accept(new StreamEvent.BlockStart(0, BlockKind.TOOL_CALL, "c", "f"));
        folder.accept(new StreamEvent.BlockStop(0));
        assertThat(folder.result().content()).containsExactly(new ContentPart.ToolCall("c", "f", "{}"));
    }

    @Test
    void streamFolder_lastUsageWins_andSignatureIsKept() {
        StreamFolder folder = new StreamFolder();
        folder.accept(new StreamEvent.UsageUpdate(new Usage(1, 1)));
        folder.accept(new StreamEvent.BlockStart(0, BlockKind.REASONING, null, null));
        folder.accept(new StreamEvent.ReasoningDelta(0, "hm", null));
        folder.accept(new StreamEvent.ReasoningDelta(0, "m", "sig"));
        folder.accept(new StreamEvent.UsageUpdate(new Usage(3, 4)));
        ChatResult r = folder.result();
        assertThat(r.usage()).isEqualTo(new Usage(3, 4));
        assertThat(r.content()).containsExactly(new ContentPart.Reasoning("hmm", "sig"));
    }

    // ---- non-stream codec ----

    @Test
    void responseCodec_encodeThenDecode_keepsTheResult() {
        ChatResult result = OpenAiResponseCodec.decode(Json.parse(TOOL_BODY));
        JsonNode encoded = Json.parse(Json.write(OpenAiResponseCodec.encode(result, DISPLAY_MODEL, CREATED)));
        assertThat(encoded.get("object").asText()).isEqualTo("chat.completion");
        assertThat(encoded.get("usage").get("total_tokens").asLong()).isEqualTo(19);
        assertThat(OpenAiResponseCodec.decode(encoded))
                .isEqualTo(new ChatResult(
                        result.id(),
                        DISPLAY_MODEL,
                        result.content(),
                        result.finishReason(),
                        result.rawFinishReason(),
                        result.usage()));
    }
}
