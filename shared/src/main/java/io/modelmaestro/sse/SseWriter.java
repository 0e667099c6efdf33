package io.modelmaestro.sse;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Encodes server-sent events. */
public final class SseWriter {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseWriter() {}

    public static byte[] data(byte[] json) {
        byte[] out = new byte[6 + json.length + 2];
        out[0] = 'd';
        out[1] = 'a';
        out[2] = 't';
        out[3] = 'a';
        out[4] = ':';
        out[5] = ' ';
        System.arraycopy(json, 0, out, 6, json.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }

    public static byte[] event(@Nullable String name, byte[] json) {
        if (name == null) {
            return data(json);
        }
        byte[] head = ("event: " + name + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = data(json);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    public static byte[] done() {
        return DONE.clone();
    }
}
