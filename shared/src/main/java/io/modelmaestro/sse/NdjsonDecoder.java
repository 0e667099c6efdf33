package io.modelmaestro.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Incremental splitter for newline-delimited JSON (Ollama's streams). Blank lines are skipped. Not thread-safe. */
public final class NdjsonDecoder {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public List<String> feed(byte[] chunk) {
        List<String> out = new ArrayList<>(2);
        for (byte b : chunk) {
            if (b == '\n') {
                emit(out);
            } else {
                line.write(b);
                if (line.size() > SseDecoder.MAX_EVENT_BYTES) {
                    throw new IllegalStateException("NDJSON line larger than " + SseDecoder.MAX_EVENT_BYTES);
                }
            }
        }
        return out;
    }

    public List<String> finish() {
        List<String> out = new ArrayList<>(1);
        emit(out);
        return out;
    }

    private void emit(List<String> out) {
        String text = line.toString(StandardCharsets.UTF_8).strip();
        line.reset();
        if (!text.isEmpty()) {
            out.add(text);
        }
    }
}
