package io.modelmaestro.catalog;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A node as routing sees it: credentials decrypted in memory, never rendered by {@link #toString()}.
 *
 * @param healthy false only when an active health check said so; passive cooldowns live in {@code NodeHealth}
 * @param knownModels null when the node's models were never discovered (any model may be tried there)
 * @param aws the region and credentials of a {@code bedrock} node; null for other node types
 */
public record Node(
        long id,
        String name,
        @Nullable String code,
        NodeType type,
        String baseUrl,
        int priority,
        int weight,
        boolean active,
        boolean scopedModels,
        boolean healthy,
        @Nullable String apiKey,
        Map<String, String> headers,
        java.util.@Nullable Set<String> knownModels,
        @Nullable AwsAuth aws) {

    /** A node without AWS settings (every node type but {@code bedrock}). */
    public Node(
            long id,
            String name,
            @Nullable String code,
            NodeType type,
            String baseUrl,
            int priority,
            int weight,
            boolean active,
            boolean scopedModels,
            boolean healthy,
            @Nullable String apiKey,
            Map<String, String> headers,
            java.util.@Nullable Set<String> knownModels) {
        this(
                id,
                name,
                code,
                type,
                baseUrl,
                priority,
                weight,
                active,
                scopedModels,
                healthy,
                apiKey,
                headers,
                knownModels,
                null);
    }

    public Node {
        headers = Map.copyOf(headers);
        knownModels = knownModels == null ? null : java.util.Set.copyOf(knownModels);
    }

    /** Whether discovery says this node has the model (true when it was never discovered). */
    public boolean mayServe(String realModel) {
        java.util.Set<String> known = knownModels;
        if (known == null) {
            return true;
        }
        return known.contains(realModel)
                || (!realModel.contains(":") && known.contains(realModel + ":latest"))
                || (realModel.endsWith(":latest") && known.contains(realModel.substring(0, realModel.length() - 7)));
    }

    /** The node's OpenAI-compatible API root, ending in {@code /v1}. */
    public String openAiBase() {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base.endsWith("/v1") ? base : base + "/v1";
    }

    @Override
    public String toString() {
        return "Node[id=" + id + ", name=" + name + ", code=" + code + ", type=" + type.wireName() + "]";
    }
}
