package io.modelmaestro.core.model;

/** Why generation ended, in canonical terms; dialects map it to their own names. */
public enum FinishReason {
    STOP,
    LENGTH,
    TOOL_CALLS,
    CONTENT_FILTER,
    ERROR
}
