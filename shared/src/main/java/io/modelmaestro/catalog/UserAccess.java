package io.modelmaestro.catalog;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A user's allowlists. Each list left empty means "no restriction": a user with no rows at all may call every model
 * on every node.
 *
 * @param allModels the user has the "all models" grant (same as no model restriction)
 * @param models display names (or real names of unmapped models) the user may request; empty = unrestricted
 * @param nodeIds nodes the user may reach; empty = unrestricted
 * @param nodeModels per node, the models (real or display names) the user may use there; a node without an entry is
 *     unrestricted
 */
public record UserAccess(boolean allModels, Set<String> models, Set<Long> nodeIds, Map<Long, Set<String>> nodeModels) {

    public static final UserAccess UNRESTRICTED = new UserAccess(false, Set.of(), Set.of(), Map.of());

    public UserAccess {
        models = Set.copyOf(models);
        nodeIds = Set.copyOf(nodeIds);
        nodeModels = Map.copyOf(nodeModels);
    }

    public boolean modelAllowed(String name) {
        return allModels || models.isEmpty() || models.contains(name);
    }

    public boolean nodeAllowed(long nodeId) {
        return nodeIds.isEmpty() || nodeIds.contains(nodeId);
    }

    /** Whether the model may be used on that node, by its real name or the display name the client used. */
    public boolean nodeModelAllowed(long nodeId, String realName, @Nullable String displayName) {
        Set<String> allowed = nodeModels.get(nodeId);
        return allowed == null
                || allowed.isEmpty()
                || allowed.contains(realName)
                || (displayName != null && allowed.contains(displayName));
    }
}
