package io.modelmaestro.bench.load;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * How a client finds content frames in a streamed answer, and the text each carries. Deliberately simple string
 * scanning (the load generator must stay cheap): it understands what the mock, the gateway, nginx and Portkey send.
 */
public enum FrameFormat {
    /** A non-streaming answer: the body is only counted. */
    NONE(""),
    /** OpenAI chat-completion chunks over SSE; a frame's text is {@code choices[0].delta.content}. */
    SSE_OPENAI("\"content\":\""),
    /** Anthropic messages over SSE; a frame's text is the {@code text_delta}'s {@code text}. */
    SSE_ANTHROPIC("\"text_delta\",\"text\":\""),
    /** Ollama NDJSON (chat or generate); a frame's text is {@code message.content} or {@code response}. */
    NDJSON_OLLAMA("");

    private final String marker;

    FrameFormat(String marker) {
        this.marker = marker;
    }

    boolean ndjson() {
        return this == NDJSON_OLLAMA;
    }

    /** Whether {@code frame} ends the stream ({@code [DONE]}, {@code message_stop}, {@code "done":true}). */
    boolean isEnd(String frame) {
        return switch (this) {
            case SSE_OPENAI -> frame.contains("data: [DONE]") || frame.contains("data:[DONE]");
            case SSE_ANTHROPIC -> frame.contains("\"type\":\"message_stop\"");
            case NDJSON_OLLAMA -> frame.contains("\"done\":true");
            case NONE -> false;
        };
    }

    /** The text a frame carries, or null when it carries none (role chunk, finish chunk, usage chunk, events). */
    @Nullable
    String content(String frame) {
        switch (this) {
            case SSE_OPENAI, SSE_ANTHROPIC -> {
                return stringAfter(frame, marker);
            }
            case NDJSON_OLLAMA -> {
                if (!frame.contains("\"done\":false")) {
                    return null;
                }
                String s = stringAfter(frame, "\"content\":\"");
                return s != null ? s : stringAfter(frame, "\"response\":\"");
            }
            default -> {
                return null;
            }
        }
    }

    /** The mock's emit stamp ({@code "mock_ns":N}) in a frame, or -1. */
    static long stamp(String frame) {
        int i = frame.indexOf("\"mock_ns\":");
        if (i < 0) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        for (int j = i + 10; j < frame.length(); j++) {
            char c = frame.charAt(j);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** The JSON string value starting right after {@code marker}, unescaped; null when absent or empty. */
    static @Nullable String stringAfter(String frame, String marker) {
        int i = frame.indexOf(marker);
        if (i < 0) {
            return null;
        }
        int start = i + marker.length();
        StringBuilder sb = null;
        for (int j = start; j < frame.length(); j++) {
            char c = frame.charAt(j);
            if (c == '"') {
                String s = sb == null ? frame.substring(start, j) : sb.toString();
                return s.isEmpty() ? null : s;
            }
            if (c == '\\' && j + 1 < frame.length()) {
                if (sb == null) {
                    sb = new StringBuilder().append(frame, start, j);
                }
                char e = frame.charAt(++j);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' -> {
                        if (j + 4 < frame.length()) {
                            sb.append((char) Integer.parseInt(frame.substring(j + 1, j + 5), 16));
                            j += 4;
                        }
                    }
                    default -> sb.append(e);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return null;
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
