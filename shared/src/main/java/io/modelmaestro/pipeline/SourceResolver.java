package io.modelmaestro.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names the client behind a request for the activity log, in one place (the original product had two resolvers that
 * disagreed). Order: an explicit {@code x-maestro-client} header, then client-specific headers and User-Agent
 * patterns (first match wins, most specific first), then the route. The table is in docs/request-sources.md.
 */
public final class SourceResolver {

    /** User-Agent substrings (lower case) and the source they identify, most specific first. */
    static final List<Map.Entry<String, String>> USER_AGENTS = List.of(
            Map.entry("claude-cli", "Claude Code"),
            Map.entry("claude-code", "Claude Code"),
            Map.entry("cursor", "Cursor"),
            Map.entry("codex", "Codex"),
            Map.entry("opencode", "opencode"),
            Map.entry("continue", "Continue"),
            Map.entry("open-webui", "Open WebUI"),
            Map.entry("openwebui", "Open WebUI"),
            Map.entry("openclaw", "OpenClaw"),
            Map.entry("grafana", "Grafana"),
            Map.entry("antigravity", "Antigravity"),
            Map.entry("gemini-cli", "Gemini CLI"),
            Map.entry("geminicli", "Gemini CLI"),
            Map.entry("google-genai-sdk", "Gemini SDK"),
            Map.entry("ollama", "Ollama CLI"),
            Map.entry("anthropic/", "Anthropic SDK"),
            Map.entry("openai/", "OpenAI SDK"),
            Map.entry("claude", "Claude"));

    private SourceResolver() {}

    public static String resolve(String path, Map<String, String> headers) {
        String explicit = headers.get("x-maestro-client");
        if (explicit != null && !explicit.isBlank()) {
            String v = explicit.strip();
            return v.length() > 100 ? v.substring(0, 100) : v;
        }
        String ua = headers.getOrDefault("user-agent", "").toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : USER_AGENTS) {
            if (ua.contains(e.getKey())) {
                return e.getValue();
            }
        }
        // The official SDKs announce themselves in headers even when the User-Agent is generic.
        if (headers.containsKey("x-stainless-lang") || headers.containsKey("x-stainless-package-version")) {
            return headers.containsKey("anthropic-version") ? "Anthropic SDK" : "OpenAI SDK";
        }
        if (path.startsWith("/claude/") || path.startsWith("/v1/messages")) {
            return "Claude";
        }
        if (GeminiGateway.isGeminiPath(path)) {
            return "Gemini";
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
