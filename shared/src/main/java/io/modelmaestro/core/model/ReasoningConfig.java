package io.modelmaestro.core.model;

import org.jspecify.annotations.Nullable;

/**
 * Whether and how much the model should reason. {@code effort} is OpenAI's scale (low, medium, high); {@code
 * budgetTokens} is Anthropic's and Converse's; providers map one to the other.
 */
public record ReasoningConfig(
        boolean enabled, @Nullable String effort, @Nullable Integer budgetTokens) {}
