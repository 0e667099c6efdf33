package io.modelmaestro.core.model;

/** Token counts. {@code cacheRead}/{@code cacheWrite} are the prompt tokens served from or written to a cache. */
public record Usage(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
