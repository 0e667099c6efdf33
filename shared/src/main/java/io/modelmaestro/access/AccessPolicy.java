package io.modelmaestro.access;

import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.routing.GroupRoute;
import io.modelmaestro.routing.ModelResolver;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a user's allowlists to a resolved request, the same way on every endpoint: the model name must be allowed
 * (the display name asked for, or the model part of a {@code node:CODE:} prefix), and only targets on allowed nodes,
 * with a model allowed on that node, stay candidates. Refusals are 403s that name the model or node the caller
 * already named, and nothing else.
 *
 * <p>Model groups: the user must be allowed the group's name. A user allowed the group may use its members through
 * it: the group's grant stands in for the members' model grants (user_models and user_node_models), while node grants
 * (user_nodes) still apply, so a user kept to some nodes stays on them inside a group too. Being allowed a member does
 * not allow the group.
 */
public final class AccessPolicy {

    private AccessPolicy() {}

    public static Resolution apply(UserAccess access, Resolution resolution) {
        if (access == UserAccess.UNRESTRICTED) {
            return resolution;
        }
        String requested = resolution.displayModel();
        GroupRoute group = resolution.group();
        if (group != null) {
            return applyToGroup(access, resolution, group);
        }
        String modelName = resolution.pinned() ? modelPart(requested) : requested;
        if (!modelAllowed(access, modelName, resolution)) {
            throw new GatewayException.Forbidden("Model '" + modelName + "' is not available for your account");
        }
        List<Target> allowed = new ArrayList<>(resolution.candidates().size());
        for (Target t : resolution.candidates()) {
            ModelMapping mapping = t.mapping();
            String display = mapping == null ? modelName : mapping.displayName();
            if (access.nodeAllowed(t.node().id())
                    && access.nodeModelAllowed(t.node().id(), t.upstreamModel(), display)) {
                allowed.add(t);
            }
        }
        if (allowed.isEmpty()) {
            throw new GatewayException.Forbidden(
                    resolution.pinned()
                            ? "Access denied to this node"
                            : "Model '" + modelName + "' is not available for your account");
        }
        return resolution.withCandidates(allowed);
    }

    private static Resolution applyToGroup(UserAccess access, Resolution resolution, GroupRoute group) {
        String requested = resolution.displayModel();
        if (!access.modelAllowed(requested) && !access.modelAllowed(group.name())) {
            throw new GatewayException.Forbidden("Model '" + requested + "' is not available for your account");
        }
        List<Target> allowed = new ArrayList<>(resolution.candidates().size());
        for (Target t : resolution.candidates()) {
            if (access.nodeAllowed(t.node().id())) {
                allowed.add(t);
            }
        }
        if (allowed.isEmpty()) {
            throw new GatewayException.Forbidden("Model '" + requested + "' is not available for your account");
        }
        return resolution.withCandidates(allowed);
    }

    /** Whether a model list entry should be shown to the user. */
    public static boolean listed(UserAccess access, String name) {
        return access.modelAllowed(name);
    }

    private static boolean modelAllowed(UserAccess access, String name, Resolution resolution) {
        if (access.modelAllowed(name)) {
            return true;
        }
        // "llama" granted and "llama:latest" requested (or the other way round) name the same mapping.
        for (Target t : resolution.candidates()) {
            ModelMapping m = t.mapping();
            if (m != null && access.modelAllowed(m.displayName())) {
                return true;
            }
        }
        return false;
    }

    private static String modelPart(String pinned) {
        String rest = pinned.substring(ModelResolver.NODE_PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(colon + 1);
    }
}
