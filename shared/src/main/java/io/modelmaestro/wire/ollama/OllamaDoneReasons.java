package io.modelmaestro.wire.ollama;

import io.modelmaestro.core.model.FinishReason;
import org.jspecify.annotations.Nullable;

/** Ollama {@code done_reason} ⇄ canonical {@link FinishReason}; the table is in docs/providers/ollama.md. */
public final class OllamaDoneReasons {

    private OllamaDoneReasons() {}

    /** Ollama knows {@code stop}, {@code length}, {@code load} and {@code unload}; tool calls end with {@code stop}. */
    public static String fromCanonical(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case STOP, STOP_SEQUENCE, TOOL_CALLS, CONTENT_FILTER, ERROR -> "stop";
        };
    }

    public static FinishReason toCanonical(@Nullable String doneReason, boolean toolCalls) {
        if ("length".equals(doneReason)) {
            return FinishReason.LENGTH;
        }
        return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
}
