package io.modelmaestro.catalog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What discovery (or an admin) recorded about one model on one node ({@code node_models}).
 *
 * @param capabilities empty when unknown
 */
public record NodeModelInfo(@Nullable Integer contextLength, List<String> capabilities) {
    public NodeModelInfo {
        capabilities = List.copyOf(capabilities);
    }
}
