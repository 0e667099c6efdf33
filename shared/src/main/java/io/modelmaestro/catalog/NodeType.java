package io.modelmaestro.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * Kinds of upstream node. {@link #VLLM} is kept as a name because the original product's users have it in their
 * databases; it behaves exactly like {@link #OPENAI} (any OpenAI-compatible server).
 */
public enum NodeType {
    OLLAMA("ollama"),
    OPENAI("openai"),
    VLLM("vllm"),
    ANTHROPIC("anthropic"),
    BEDROCK("bedrock");

    private final String wireName;

    NodeType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True for node types that serve the OpenAI wire format under {@code /v1}. Ollama does too. */
    public boolean speaksOpenAi() {
        return this == OLLAMA || this == OPENAI || this == VLLM;
    }

    public static Optional<NodeType> parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (NodeType t : values()) {
            if (t.wireName.equals(v)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
