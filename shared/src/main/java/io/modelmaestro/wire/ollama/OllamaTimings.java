package io.modelmaestro.wire.ollama;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.Usage;

/**
 * The counters every final Ollama object carries, in nanoseconds. When the answer came from a node that is not
 * Ollama, the gateway measures them itself: {@code total} is the whole request, {@code promptEval} the time to the
 * first generated token, {@code eval} the rest, {@code load} zero.
 */
public record OllamaTimings(long totalNanos, long loadNanos, long promptEvalNanos, long evalNanos) {

    /** Writes the durations and the token counts (Ollama's {@code prompt_eval_count} and {@code eval_count}). */
    public void write(ObjectNode out, Usage usage) {
        out.put("total_duration", totalNanos);
        out.put("load_duration", loadNanos);
        out.put("prompt_eval_count", usage.promptTokens());
        out.put("prompt_eval_duration", promptEvalNanos);
        out.put("eval_count", usage.completionTokens());
        out.put("eval_duration", evalNanos);
    }
}
