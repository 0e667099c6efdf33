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

    public ProviderRegistry(List<ChatProvider> providers) {
        for (ChatProvider p : providers) {
            for (NodeType t : p.nodeTypes()) {
                byType.put(t, p);
            }
        }
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
