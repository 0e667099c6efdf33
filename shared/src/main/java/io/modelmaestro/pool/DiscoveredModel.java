package io.modelmaestro.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model a node reported. {@code entry} is the node's own listing object (Ollama's {@code /api/tags} entry, an
 * OpenAI or Anthropic {@code /v1/models} item), kept so listings can show what the node said.
 */
public record DiscoveredModel(
        String name,
        @Nullable Long size,
        @Nullable String family,
        @Nullable String digest,
        @Nullable Integer contextLength,
        List<String> capabilities,
        @Nullable ObjectNode entry,
        @Nullable Instant modifiedAt) {

    public DiscoveredModel {
        capabilities = List.copyOf(capabilities);
    }

    public static DiscoveredModel named(String name, @Nullable Integer contextLength, @Nullable ObjectNode entry) {
        return new DiscoveredModel(name, null, null, null, contextLength, List.of(), entry, null);
    }
}
