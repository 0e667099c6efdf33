package io.modelmaestro.wire.anthropic;

import io.modelmaestro.core.model.FinishReason;
import org.jspecify.annotations.Nullable;

/** Anthropic {@code stop_reason} ⇄ canonical {@link FinishReason}; the table is in docs/providers/anthropic.md. */
public final class AnthropicStopReasons {

    private AnthropicStopReasons() {}

    public static FinishReason toCanonical(@Nullable String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, pause_turn, and reasons newer than this table
        };
    }

    /**
     * The stop reason an Anthropic client sees. A message that carries tool calls ends with {@code tool_use} unless
     * it was cut short: some OpenAI-compatible servers (older Ollama) report {@code stop} next to tool calls, and an
     * {@code end_turn} there makes Claude Code drop the calls.
     */
    public static String fromCanonical(FinishReason reason, boolean hasToolCalls) {
        return switch (reason) {
            case STOP, ERROR -> hasToolCalls ? "tool_use" : "end_turn";
            case TOOL_CALLS -> "tool_use";
            case LENGTH -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case CONTENT_FILTER -> "refusal";
        };
    }
}
