package io.modelmaestro.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Sampling and length parameters; null means "not set by the client". */
public record GenerationParams(
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        @Nullable Double topP,
        @Nullable Integer topK,
        List<String> stop,
        @Nullable Long seed,
        @Nullable Double frequencyPenalty,
        @Nullable Double presencePenalty,
        @Nullable Double repeatPenalty) {

    public GenerationParams {
        stop = List.copyOf(stop);
    }

    public static GenerationParams none() {
        return new GenerationParams(null, null, null, null, List.of(), null, null, null, null);
    }
}
