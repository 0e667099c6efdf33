package io.modelmaestro.core.model;

/** Message roles in the canonical model. OpenAI's {@code developer} role is folded into {@link #SYSTEM}. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
}
