package io.modelmaestro.wire.gemini;

import io.modelmaestro.core.model.FinishReason;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's {@code finishReason} ⇄ canonical. Gemini has no "tool calls" reason: a turn that ends in function calls
 * ends with {@code STOP}. Stop sequences end with {@code STOP} too.
 *
 * <table>
 *   <tr><th>canonical</th><th>Gemini</th></tr>
 *   <tr><td>STOP, STOP_SEQUENCE, TOOL_CALLS</td><td>STOP</td></tr>
 *   <tr><td>LENGTH</td><td>MAX_TOKENS</td></tr>
 *   <tr><td>CONTENT_FILTER</td><td>SAFETY</td></tr>
 *   <tr><td>ERROR</td><td>OTHER</td></tr>
 * </table>
 */
public final class GeminiFinishReasons {

    private GeminiFinishReasons() {}

    public static String toGemini(FinishReason reason) {
        return switch (reason) {
            case STOP, STOP_SEQUENCE, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
            case ERROR -> "OTHER";
        };
    }

    /** Gemini → canonical; {@code hasCalls} turns a {@code STOP} after function calls into TOOL_CALLS. */
    public static FinishReason toCanonical(@Nullable String reason, boolean hasCalls) {
        if (reason == null) {
            return hasCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE" ->
                FinishReason.CONTENT_FILTER;
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL" -> FinishReason.ERROR;
            default -> hasCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }
}
