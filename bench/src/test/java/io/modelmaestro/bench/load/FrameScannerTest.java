package io.modelmaestro.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.bench.mock.MockFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameScannerTest {

    private static byte[] stream(MockFormat f, int chunks, long stamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(f.preamble("m"));
        for (int k = 0; k < chunks; k++) {
            out.writeBytes(f.content("m", k, stamp < 0 ? -1 : stamp + k));
        }
        out.writeBytes(f.trailer("m", chunks, true));
        return out.toByteArray();
    }

    /** Feeding in pieces of any size gives the same frames as feeding at once. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 100_000})
    void framesSplitAnywhereAreFoundOnce(int piece) {
        for (MockFormat f : MockFormat.values()) {
            byte[] all = stream(f, 6, 1000);
            FrameFormat ff = switch (f) {
                case OPENAI_CHAT -> FrameFormat.SSE_OPENAI;
                case ANTHROPIC_MESSAGES -> FrameFormat.SSE_ANTHROPIC;
                default -> FrameFormat.NDJSON_OLLAMA;
            };
            FrameScanner s = new FrameScanner(ff, true);
            for (int i = 0; i < all.length; i += piece) {
                s.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + piece)), i);
            }
            assertThat(s.contentFrames()).as(f + " by " + piece).isEqualTo(6);
            assertThat(s.text()).as(f.name()).isEqualTo(MockFormat.text(6));
            assertThat(s.ended()).as(f.name()).isTrue();
            assertThat(s.stamps()).containsExactly(1000, 1001, 1002, 1003, 1004, 1005);
        }
    }

    @Test
    void arrivalIsTheReadThatCompletedTheFrame() {
        byte[] frame = MockFormat.OPENAI_CHAT.content("m", 0, -1);
        FrameScanner s = new FrameScanner(FrameFormat.SSE_OPENAI, false);
        s.feed(Arrays.copyOfRange(frame, 0, 10), 111);
        s.feed(Arrays.copyOfRange(frame, 10, frame.length), 222);
        assertThat(s.arrivals()).containsExactly(222);
        assertThat(s.stamps()).containsExactly(-1);
    }

    @Test
    void crlfFramesAndEscapedTextAreRead() {
        String frames = "data: {\"choices\":[{\"delta\":{\"content\":\"a\\\"b\\nc\\u00e9\"}}]}\r\n\r\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"\"}}]}\r\n\r\ndata: [DONE]\r\n\r\n";
        FrameScanner s = new FrameScanner(FrameFormat.SSE_OPENAI, true);
        s.feed(frames.getBytes(StandardCharsets.UTF_8), 1);
        assertThat(s.contentFrames()).isEqualTo(1);
        assertThat(s.text()).isEqualTo("a\"b\nc\u00e9");
        assertThat(s.ended()).isTrue();
    }

    @Test
    void roleAndFinishAndUsageChunksCarryNoContent() {
        FrameScanner s = new FrameScanner(FrameFormat.SSE_OPENAI, true);
        s.feed(MockFormat.OPENAI_CHAT.preamble("m"), 1);
        s.feed(MockFormat.OPENAI_CHAT.trailer("m", 0, true), 2);
        assertThat(s.contentFrames()).isZero();
        assertThat(s.ended()).isTrue();
    }

    @Test
    void aStreamCutShortHasNoEnd() {
        FrameScanner s = new FrameScanner(FrameFormat.SSE_OPENAI, true);
        s.feed(MockFormat.OPENAI_CHAT.content("m", 0, -1), 1);
        assertThat(s.ended()).isFalse();
    }
}
