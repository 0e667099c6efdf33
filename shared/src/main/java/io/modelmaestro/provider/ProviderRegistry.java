package io.modelmaestro.provider;

import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.error.GatewayException;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Finds the {@link ChatProvider} for a node type. */
@Singleton
public class ProviderRegistry {

    private final Map<NodeType, ChatProvider> byType = new EnumMap<>(NodeType.class);
    private final Map<NodeType, EmbeddingProvider> embeddingsByType = new EnumMap<>(NodeType.class);

    public ProviderRegistry(List<ChatProvider> providers, List<EmbeddingProvider> embeddingProviders) {
        for (ChatProvider p : providers) {
            for (NodeType t : p.nodeTypes()) {
                byType.put(t, p);
            }
        }
        for (EmbeddingProvider p : embeddingProviders) {
            for (NodeType t : p.nodeTypes()) {
                embeddingsByType.put(t, p);
            }
        }
    }

    /** The embeddings provider of a node type that has no OpenAI/Ollama embeddings API of its own, if any. */
    public java.util.Optional<EmbeddingProvider> embeddings(NodeType type) {
        return java.util.Optional.ofNullable(embeddingsByType.get(type));
    }

    public ChatProvider forType(NodeType type) {
        ChatProvider provider = byType.get(type);
        if (provider == null) {
            throw new GatewayException.Internal("No provider for node type '" + type.wireName() + "'", null);
        }
        return provider;
    }

    public boolean supports(NodeType type) {
        return byType.containsKey(type);
    }
}
