package io.modelmaestro.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SSE and NDJSON decoders give the same events however the bytes are split: at every position, in pieces of every
 * size, across CR LF and inside a multi-byte UTF-8 character.
 */
class DecoderSplitTest {

    private static final String SSE = ": comment\r\n"
            + "event: message_start\r\ndata: {\"a\":1}\r\n\r\n"
            + "data: line one\ndata: line two\n\n"
            + "id: 7\rdata: caf\u00e9 \u2603 \ud83d\ude00\r\r"
            + "data:no-space\n\n"
            + "data: [DONE]\n\n"
            + "data: tail without blank line";

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("message_start", "{\"a\":1}"),
            new SseEvent(null, "line one\nline two"),
            new SseEvent(null, "caf\u00e9 \u2603 \ud83d\ude00"),
            new SseEvent(null, "no-space"),
            new SseEvent(null, "[DONE]"),
            new SseEvent(null, "tail without blank line"));

    private static List<SseEvent> sse(byte[] all, int... cuts) {
        SseDecoder d = new SseDecoder();
        List<SseEvent> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.addAll(d.feed(Arrays.copyOfRange(all, from, cut)));
            from = cut;
        }
        out.addAll(d.feed(Arrays.copyOfRange(all, from, all.length)));
        out.addAll(d.finish());
        return out;
    }

    @Test
    void sseAtOnce() {
        assertThat(sse(SSE.getBytes(StandardCharsets.UTF_8))).isEqualTo(EXPECTED);
    }

    @Test
    void sseSplitAtEveryPosition() {
        byte[] all = SSE.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            assertThat(sse(all, cut)).as("cut at " + cut).isEqualTo(EXPECTED);
        }
        for (int a = 0; a <= all.length; a += 3) {
            for (int b = a; b <= all.length; b += 5) {
                assertThat(sse(all, a, b)).as("cuts at " + a + ", " + b).isEqualTo(EXPECTED);
            }
        }
    }

    @Test
    void sseByteByByte() {
        byte[] all = SSE.getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[all.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(sse(all, cuts)).isEqualTo(EXPECTED);
    }

    @Test
    void crAtTheEndOfAChunkSwallowsTheLfThatStartsTheNext() {
        SseDecoder d = new SseDecoder();
        assertThat(d.feed("data: x\r".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(d.feed("\n\r\n".getBytes(StandardCharsets.UTF_8))).containsExactly(new SseEvent(null, "x"));
    }

    @Test
    void anOversizedEventFails() {
        SseDecoder d = new SseDecoder();
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        d.feed("data: ".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 17; i++) {
                        d.feed(big);
                    }
                })
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ndjsonSplitAtEveryPosition() {
        String text = "{\"a\":\"caf\u00e9\"}\n\n  \n{\"b\":2}\n{\"c\":3}";
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            NdjsonDecoder d = new NdjsonDecoder();
            List<String> out = new ArrayList<>(d.feed(Arrays.copyOfRange(all, 0, cut)));
            out.addAll(d.feed(Arrays.copyOfRange(all, cut, all.length)));
            out.addAll(d.finish());
            assertThat(out).as("cut at " + cut).containsExactly("{\"a\":\"caf\u00e9\"}", "{\"b\":2}", "{\"c\":3}");
        }
    }
}
