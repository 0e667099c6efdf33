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

class NdjsonDecoderTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("LF-terminated lines", "{\"a\":1}\n{\"b\":2}\n", List.of("{\"a\":1}", "{\"b\":2}")),
                Arguments.of("CRLF-terminated lines", "{\"a\":1}\r\n{\"b\":2}\r\n", List.of("{\"a\":1}", "{\"b\":2}")),
                Arguments.of(
                        "blank lines are skipped",
                        "\n\n{\"a\":1}\n\n\n{\"b\":2}\n\n",
                        List.of("{\"a\":1}", "{\"b\":2}")),
                Arguments.of("whitespace-only lines are skipped", "  \n\t\r\n{\"a\":1}\n", List.of("{\"a\":1}")),
                Arguments.of("surrounding whitespace is stripped", "  {\"a\":1}  \n", List.of("{\"a\":1}")),
                Arguments.of(
                        "last line without newline",
                        "{\"a\":1}\n{\"done\":true}",
                        List.of("{\"a\":1}", "{\"done\":true}")),
                Arguments.of(
                        "multi-byte UTF-8",
                        "{\"t\":\"héllo 日本語 😀\"}\n{\"t\":\"ß\"}\n",
                        List.of("{\"t\":\"héllo 日本語 😀\"}", "{\"t\":\"ß\"}")),
                Arguments.of(
                        "Ollama-style stream",
                        "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"
                                + "{\"message\":{\"content\":\"\"},\"done\":true,\"eval_count\":3}\n",
                        List.of(
                                "{\"message\":{\"content\":\"Hi\"},\"done\":false}",
                                "{\"message\":{\"content\":\"\"},\"done\":true,\"eval_count\":3}")),
                Arguments.of("empty stream", "", List.of()));
    }

    private static List<String> decode(List<byte[]> chunks) {
        NdjsonDecoder decoder = new NdjsonDecoder();
        List<String> out = new ArrayList<>();
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
    void feed_wholeStream_yieldsExpectedLines(String name, String stream, List<String> expected) {
        assertThat(decode(List.of(utf8(stream)))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_splitIntoTwoChunksAtEveryBytePosition_yieldsSameLines(String name, String stream, List<String> expected) {
        byte[] bytes = utf8(stream);
        for (int i = 0; i <= bytes.length; i++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, i), Arrays.copyOfRange(bytes, i, bytes.length));
            assertThat(decode(chunks)).as("%s, split at %d", name, i).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feed_splitIntoThreeChunksAtEveryPairOfPositions_yieldsSameLines(
            String name, String stream, List<String> expected) {
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

    @Test
    void feed_emitsALineAsSoonAsItsNewlineArrives() {
        NdjsonDecoder decoder = new NdjsonDecoder();
        assertThat(decoder.feed(utf8("{\"a\":"))).isEmpty();
        assertThat(decoder.feed(utf8("1}\n{\"b\""))).containsExactly("{\"a\":1}");
        assertThat(decoder.feed(utf8(":2}\n"))).containsExactly("{\"b\":2}");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void feed_lineOverTheLimit_throws() {
        NdjsonDecoder decoder = new NdjsonDecoder();
        byte[] line = new byte[SseDecoder.MAX_EVENT_BYTES + 1];
        Arrays.fill(line, (byte) 'x');
        assertThatThrownBy(() -> decoder.feed(line))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void feed_limitIsPerLine_notPerStream() {
        NdjsonDecoder decoder = new NdjsonDecoder();
        byte[] line = new byte[SseDecoder.MAX_EVENT_BYTES];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        int emitted = 0;
        for (int i = 0; i < 3; i++) {
            emitted += decoder.feed(line).size();
        }
        assertThat(emitted).isEqualTo(3);
    }
}
