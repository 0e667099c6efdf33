package io.modelmaestro.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private @Nullable String event;
    private boolean hasData;
    private boolean lastWasCr;
    private int eventBytes;

    public List<SseEvent> feed(byte[] chunk) {
        List<SseEvent> out = new ArrayList<>(2);
        for (byte b : chunk) {
            if (lastWasCr) {
                lastWasCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                lastWasCr = b == '\r';
                endLine(out);
            } else {
                line.write(b);
                if (++eventBytes > MAX_EVENT_BYTES) {
                    throw new IllegalStateException("SSE event larger than " + MAX_EVENT_BYTES + " bytes");
                }
            }
        }
        return out;
    }

    /** Dispatches what is pending at end of stream (an upstream that omits the final blank line). */
    public List<SseEvent> finish() {
        List<SseEvent> out = new ArrayList<>(1);
        if (line.size() > 0) {
            endLine(out);
        }
        dispatch(out);
        return out;
    }

    private void endLine(List<SseEvent> out) {
        if (line.size() == 0) {
            dispatch(out);
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
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
