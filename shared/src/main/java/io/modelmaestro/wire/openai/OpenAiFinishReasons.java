package io.modelmaestro.wire.openai;

import io.modelmaestro.core.model.FinishReason;
import org.jspecify.annotations.Nullable;

/** OpenAI {@code finish_reason} ⇄ canonical {@link FinishReason}; the table is in docs/providers/openai.md. */
public final class OpenAiFinishReasons {
    private OpenAiFinishReasons() {}

    public static FinishReason toCanonical(@Nullable String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "error" -> FinishReason.ERROR;
            default -> FinishReason.STOP;
        };
    }

    /**
     * The reason of one choice. vLLM reports the stop string that ended generation in {@code stop_reason} (a token id
     * there is not a stop sequence): that makes {@link FinishReason#STOP_SEQUENCE}.
     */
    public static FinishReason toCanonical(@Nullable String reason, @Nullable String matchedStop) {
        return "stop".equals(reason) && matchedStop != null ? FinishReason.STOP_SEQUENCE : toCanonical(reason);
    }

    public static String fromCanonical(FinishReason reason) {
        return switch (reason) {
            case STOP, STOP_SEQUENCE, ERROR -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }
}
