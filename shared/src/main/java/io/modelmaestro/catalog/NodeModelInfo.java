package io.modelmaestro.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model discovery found on a node ({@code node_models}, available rows only).
 *
 * @param contextLength what the node reported (Ollama's {@code /api/show}, vLLM's {@code max_model_len})
 * @param entry the node's own listing entry (for Ollama the {@code /api/tags} object), never modified by readers
 */
public record NodeModelInfo(
        String name,
        @Nullable Integer contextLength,
        List<String> capabilities,
        @Nullable ObjectNode entry) {

    public NodeModelInfo {
        capabilities = List.copyOf(capabilities);
    }
}
