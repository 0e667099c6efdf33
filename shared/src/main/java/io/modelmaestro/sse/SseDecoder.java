package io.modelmaestro.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Incremental decoder for {@code text/event-stream} as specified by WHATWG HTML §9.2: lines end in LF, CRLF or CR;
 * {@code data} lines accumulate; a blank line dispatches; lines starting with ':' are comments. Chunks may split
 * anywhere, including inside a UTF-8 sequence or between CR and LF. Created per stream; not thread-safe.
 *
 * <p>Hand-written because it sits on the hot path of every stream and is 80 lines; the libraries that exist are tied to
 * a particular HTTP client.
 */
public final class SseDecoder {

    /** A single event larger than this means the upstream is broken; the stream is failed rather than buffered. */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    // The current line's bytes. Not a ByteArrayOutputStream: its write(int) is synchronized, and a per-byte lock on
    // every byte of every streamed token was most of this class's cost (bench/ ProviderStreamBench).
    private byte[] line = new byte[256];
    private int lineLength;
    private final StringBuilder data = new StringBuilder();
    private @Nullable String event;
    private boolean hasData;
    private boolean lastWasCr;
    private int eventBytes;

    public List<SseEvent> feed(byte[] chunk) {
        List<SseEvent> out = new ArrayList<>(2);
        int n = chunk.length;
        int i = 0;
        if (lastWasCr && n > 0) {
            lastWasCr = false;
            if (chunk[0] == '\n') {
                i = 1;
            }
        }
        int start = i;
        for (; i < n; i++) {
            byte b = chunk[i];
            if (b == '\n' || b == '\r') {
                append(chunk, start, i - start);
                endLine(out);
                if (b == '\r') {
                    if (i + 1 < n) {
                        if (chunk[i + 1] == '\n') {
                            i++;
                        }
                    } else {
                        lastWasCr = true;
                    }
                }
                start = i + 1;
            }
        }
        append(chunk, start, n - start);
        return out;
    }

    private void append(byte[] chunk, int offset, int length) {
        if (length <= 0) {
            return;
        }
        eventBytes += length;
        if (eventBytes > MAX_EVENT_BYTES) {
            throw new IllegalStateException("SSE event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(chunk, offset, line, lineLength, length);
        lineLength += length;
    }

    /** Dispatches what is pending at end of stream (an upstream that omits the final blank line). */
    public List<SseEvent> finish() {
        List<SseEvent> out = new ArrayList<>(1);
        if (lineLength > 0) {
            endLine(out);
        }
        dispatch(out);
        return out;
    }

    private void endLine(List<SseEvent> out) {
        if (lineLength == 0) {
            dispatch(out);
            return;
        }
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.startsWith(":")) {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            default -> {
                // id and retry are meaningless for a proxied LLM stream; unknown fields are ignored by the spec.
            }
        }
    }

    private void dispatch(List<SseEvent> out) {
        if (hasData) {
            out.add(new SseEvent(event, data.toString()));
        }
        data.setLength(0);
        hasData = false;
        event = null;
        eventBytes = 0;
    }
}
