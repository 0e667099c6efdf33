package io.modelmaestro.core.model;

/**
 * Why generation ended, in canonical terms; dialects map it to their own names. For {@link #STOP_SEQUENCE} the raw
 * reason carried next to it ({@code MessageStop.rawReason}, {@code ChatResult.rawFinishReason}) is the stop sequence
 * that matched, when the upstream said which.
 */
public enum FinishReason {
    STOP,
    LENGTH,
    TOOL_CALLS,
    CONTENT_FILTER,
    ERROR,
    /** A client-supplied stop sequence ended generation (Anthropic's {@code stop_sequence}). */
    STOP_SEQUENCE
}
