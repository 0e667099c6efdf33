package io.modelmaestro.core.model;

/**
 * Token counts. {@code promptTokens} is the whole input, cached tokens included (OpenAI's {@code prompt_tokens}
 * semantics); {@code cacheReadTokens}/{@code cacheWriteTokens} are the parts of it served from or written to a cache.
 * Anthropic's {@code input_tokens} excludes both cache counts, so its codec adds them on the way in and subtracts
 * them on the way out (docs/providers/anthropic.md).
 */
public record Usage(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
