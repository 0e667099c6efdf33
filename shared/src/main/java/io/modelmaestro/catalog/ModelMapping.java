package io.modelmaestro.catalog;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A display name clients use for a real upstream model name. With no {@code nodeIds} the mapping is global; with
 * some, it applies only on those nodes.
 */
public record ModelMapping(
        long id,
        String displayName,
        String realName,
        Set<Long> nodeIds,
        @Nullable Integer contextLength,
        List<String> capabilities) {

    public ModelMapping {
        nodeIds = Set.copyOf(nodeIds);
        capabilities = List.copyOf(capabilities);
    }

    public boolean global() {
        return nodeIds.isEmpty();
    }

    public boolean appliesTo(long nodeId) {
        return nodeIds.isEmpty() || nodeIds.contains(nodeId);
    }
}
