package io.modelmaestro.pipeline;

import java.util.Locale;
import java.util.Map;

/**
 * Names the client behind a request for the activity log, in one place (the original product had two resolvers that
 * disagreed). Order: an explicit {@code x-maestro-client} header, then User-Agent patterns, then the route.
 */
public final class SourceResolver {

    private SourceResolver() {}

    public static String resolve(String path, Map<String, String> headers) {
        String explicit = headers.get("x-maestro-client");
        if (explicit != null && !explicit.isBlank()) {
            String v = explicit.strip();
            return v.length() > 100 ? v.substring(0, 100) : v;
        }
        String ua = headers.getOrDefault("user-agent", "").toLowerCase(Locale.ROOT);
        if (ua.contains("cursor")) {
            return "Cursor";
        }
        if (ua.contains("antigravity")) {
            return "Antigravity";
        }
        if (ua.contains("openclaw")) {
            return "OpenClaw";
        }
        if (ua.contains("claude")) {
            return "Claude";
        }
        if (ua.contains("codex")) {
            return "Codex";
        }
        if (path.startsWith("/claude/") || path.startsWith("/v1/messages")) {
            return "Claude";
        }
        if (path.startsWith("/api/")) {
            return "Ollama Native";
        }
        if (path.startsWith("/v1/")) {
            return "OpenAI-Compatible";
        }
        return "Unknown";
    }
}
