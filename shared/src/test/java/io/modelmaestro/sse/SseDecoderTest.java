package io.modelmaestro.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SseDecoderTest {

    private static SseEvent data(String data) {
        return new SseEvent(null, data);
    }

    private static SseEvent named(String event, String data) {
        return new SseEvent(event, data);
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("single event, LF", "data: hello\n\n", List.of(data("hello"))),
                Arguments.of("two events, CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", List.of(data("a"), data("b"))),
                Arguments.of("two events, bare CR", "data: a\r\rdata: b\r\r", List.of(data("a"), data("b"))),
                Arguments.of(
                        "CRLF inside a multi-line event is one line break, not a blank line",
                        "data: a\r\ndata: b\r\n\r\n",
                        List.of(data("a\nb"))),
                Arguments.of("mixed line endings", "data: a\r\ndata: b\ndata: c\r\r", List.of(data("a\nb\nc"))),
                Arguments.of(
                        "multi-line data joined with LF",
                        "data: first\ndata: second\ndata: third\n\n",
                        List.of(data("first\nsecond\nthird"))),
                Arguments.of(
                        "comments are ignored, alone and between data lines",
                        ": keep-alive\n\ndata: x\n: inline comment\ndata: y\n\n",
                        List.of(data("x\ny"))),
                Arguments.of(
                        "event names apply to their own event only",
                        "event: message_start\ndata: {\"a\":1}\n\nevent: delta\ndata: d\n\ndata: plain\n\n",
                        List.of(named("message_start", "{\"a\":1}"), named("delta", "d"), data("plain"))),
                Arguments.of(
                        "an event name without data dispatches nothing and does not leak into the next event",
                        "event: ping\n\ndata: after\n\n",
                        List.of(data("after"))),
                Arguments.of("no space after the colon", "data:x\n\n", List.of(data("x"))),
                Arguments.of(
                        "only the first space after the colon is dropped",
                        "data:  two spaces\n\n",
                        List.of(data(" two spaces"))),
                Arguments.of("field name without colon is an empty value", "data\n\n", List.of(data(""))),
                Arguments.of("empty data value", "data:\n\n", List.of(data(""))),
                Arguments.of(
                        "id, retry and unknown fields are ignored",
                        "id: 7\nretry: 1000\nfoo: bar\ndata: z\n\n",
                        List.of(data("z"))),
                Arguments.of(
                        "colons inside the value are kept",
                        "data: {\"k\":\"v:w\"}\n\n",
                        List.of(data("{\"k\":\"v:w\"}"))),
                Arguments.of(
                        "multi-byte UTF-8 (2, 3 and 4 byte sequences)",
                        "data: héllo wörld 日本語 😀\n\n",
                        List.of(data("héllo wörld 日本語 😀"))),
                Arguments.of("leading blank lines", "\n\n\r\ndata: x\n\n", List.of(data("x"))),
                Arguments.of(
                        "final event without trailing blank line",
                        "data: a\n\ndata: last",
                        List.of(data("a"), data("last"))),
                Arguments.of("final event ending in one LF", "data: last\n", List.of(data("last"))),
                Arguments.of("final event ending in one CR", "data: last\r", List.of(data("last"))),
                Arguments.of("empty stream", "", List.of()),
                Arguments.of("only comments", ": a\n: b\n\n", List.of()),
                Arguments.of(
                        "OpenAI-style stream with [DONE]",
                        "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                                + "data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\n"
                                + "data: [DONE]\n\n",
                        List.of(
                                data("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"),
                                data("{\"choices\":[{\"delta\":{\"content\":\" there\"}}]}"),
                                data("[DONE]"))));
    }

    /** Feeds every chunk, then {@code finish()}, and returns everything the decoder produced. */
    private static List<SseEvent> decode(List<byte[]> chunks) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            out.addAll(decoder.feed(chunk));
        }
        out.addAll(decoder.finish());
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_wholeStreamInOneChunk_yieldsExpectedEvents(String name, String stream, List<SseEvent> expected) {
        assertThat(decode(List.of(utf8(stream)))).as(name).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_splitIntoTwoChunksAtEveryBytePosition_yieldsSameEvents(
            String name, String stream, List<SseEvent> expected) {
        byte[] bytes = utf8(stream);
        for (int i = 0; i <= bytes.length; i++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, i), Arrays.copyOfRange(bytes, i, bytes.length));
            assertThat(decode(chunks)).as("%s, split at %d", name, i).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_splitIntoThreeChunksAtEveryPairOfPositions_yieldsSameEvents(
            String name, String stream, List<SseEvent> expected) {
        byte[] bytes = utf8(stream);
        for (int i = 0; i <= bytes.length; i++) {
            for (int j = i; j <= bytes.length; j++) {
                List<byte[]> chunks = List.of(
                        Arrays.copyOfRange(bytes, 0, i),
                        Arrays.copyOfRange(bytes, i, j),
                        Arrays.copyOfRange(bytes, j, bytes.length));
                assertThat(decode(chunks))
                        .as("%s, split at %d and %d", name, i, j)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_oneByteAtATime_yieldsSameEvents(String name, String stream, List<SseEvent> expected) {
        byte[] bytes = utf8(stream);
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : bytes) {
            chunks.add(new byte[] {b});
        }
        assertThat(decode(chunks)).as(name).containsExactlyElementsOf(expected);
    }

    @Test
    void feed_dispatchesOnlyAtTheBlankLine() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(utf8("data: a\n"))).isEmpty();
        assertThat(decoder.feed(utf8("data: b\n"))).isEmpty();
        assertThat(decoder.feed(utf8("\n"))).containsExactly(data("a\nb"));
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void feed_crAtEndOfChunkThenLfAtStartOfNext_isOneLineBreak() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(utf8("data: a\r"))).isEmpty();
        // Had the LF been taken as a blank line, "a" would be dispatched here on its own.
        assertThat(decoder.feed(utf8("\ndata: b\r"))).isEmpty();
        assertThat(decoder.feed(utf8("\n\r"))).containsExactly(data("a\nb"));
        // The LF completing that blank line's CRLF is not yet another (empty) line.
        assertThat(decoder.feed(utf8("\ndata: c\n\n"))).containsExactly(data("c"));
    }

    @Test
    void feed_crFollowedByCr_isABlankLine() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(utf8("data: a\r"))).isEmpty();
        assertThat(decoder.feed(utf8("\r"))).containsExactly(data("a"));
    }

    @Test
    void feed_emptyChunk_changesNothing() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(new byte[0])).isEmpty();
        assertThat(decoder.feed(utf8("data: x\n"))).isEmpty();
        assertThat(decoder.feed(new byte[0])).isEmpty();
        assertThat(decoder.feed(utf8("\n"))).containsExactly(data("x"));
    }

    @Test
    void finish_withPendingEventNameButNoData_dispatchesNothing() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(utf8("event: ping\n"))).isEmpty();
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void finish_dispatchesPendingNamedEvent() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(utf8("event: done\ndata: bye"))).isEmpty();
        assertThat(decoder.finish()).containsExactly(named("done", "bye"));
    }

    @Test
    void feed_singleLineOverTheLimit_throws() {
        SseDecoder decoder = new SseDecoder();
        byte[] line = filledLine(SseDecoder.MAX_EVENT_BYTES + 1);
        assertThatThrownBy(() -> decoder.feed(line))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void feed_eventOverTheLimitAcrossSeveralLinesAndChunks_throws() {
        SseDecoder decoder = new SseDecoder();
        byte[] half = filledLine(SseDecoder.MAX_EVENT_BYTES / 2);
        assertThat(decoder.feed(half)).isEmpty();
        assertThat(decoder.feed(utf8("\n"))).isEmpty();
        assertThat(decoder.feed(half)).isEmpty();
        assertThat(decoder.feed(utf8("\n"))).isEmpty();
        assertThatThrownBy(() -> decoder.feed(utf8("data: more\n"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void feed_eventOfExactlyTheLimit_isAccepted() {
        SseDecoder decoder = new SseDecoder();
        byte[] line = filledLine(SseDecoder.MAX_EVENT_BYTES);
        assertThat(decoder.feed(line)).isEmpty();
        List<SseEvent> events = decoder.feed(utf8("\n\n"));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).hasSize(SseDecoder.MAX_EVENT_BYTES - "data: ".length());
    }

    @Test
    void feed_manyEventsTogetherOverTheLimit_areAcceptedBecauseTheLimitIsPerEvent() {
        SseDecoder decoder = new SseDecoder();
        byte[] event = concat(filledLine(SseDecoder.MAX_EVENT_BYTES / 2), utf8("\n\n"));
        int dispatched = 0;
        for (int i = 0; i < 3; i++) {
            dispatched += decoder.feed(event).size();
        }
        assertThat(dispatched).isEqualTo(3);
    }

    /** A {@code data: xxx…} line of exactly {@code length} bytes, without line ending. */
    private static byte[] filledLine(int length) {
        byte[] line = new byte[length];
        Arrays.fill(line, (byte) 'x');
        byte[] prefix = utf8("data: ");
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        return line;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
