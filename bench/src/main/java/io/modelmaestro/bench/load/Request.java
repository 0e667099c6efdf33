package io.modelmaestro.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request to send: a POST (or GET with an empty body) to {@code path} with extra headers, and how to read the
 * answer. Immutable; the body array is shared, never copied.
 */
public record Request(
        String method, String path, List<Map.Entry<String, String>> headers, byte[] body, FrameFormat format) {

    public static Request post(String path, List<Map.Entry<String, String>> headers, String json, FrameFormat format) {
        return new Request("POST", path, List.copyOf(headers), json.getBytes(StandardCharsets.UTF_8), format);
    }

    public boolean streaming() {
        return format != FrameFormat.NONE;
    }
}
