package io.modelmaestro.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Incremental splitter for newline-delimited JSON (Ollama's streams). Blank lines are skipped. Not thread-safe. */
public final class NdjsonDecoder {

    // Not a ByteArrayOutputStream: its write(int) is synchronized (a lock per byte; see SseDecoder).
    private byte[] line = new byte[256];
    private int lineLength;

    public List<String> feed(byte[] chunk) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                append(chunk, start, i - start);
                emit(out);
                start = i + 1;
            }
        }
        append(chunk, start, chunk.length - start);
        return out;
    }

    private void append(byte[] chunk, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (lineLength + length > SseDecoder.MAX_EVENT_BYTES) {
            throw new IllegalStateException("NDJSON line larger than " + SseDecoder.MAX_EVENT_BYTES);
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(chunk, offset, line, lineLength, length);
        lineLength += length;
    }

    public List<String> finish() {
        List<String> out = new ArrayList<>(1);
        emit(out);
        return out;
    }

    private void emit(List<String> out) {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8).strip();
        lineLength = 0;
        if (!text.isEmpty()) {
            out.add(text);
        }
    }
}
