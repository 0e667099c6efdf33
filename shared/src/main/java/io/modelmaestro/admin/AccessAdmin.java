package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.AccessRepository;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.persistence.UserEntity;
import io.modelmaestro.persistence.UserRepository;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Users' allowlists: models (by display name, or "all"), nodes, and models per node. No rows means no restriction.
 * Every change is audited with before and after, and takes effect at once (catalog refresh).
 */
@Singleton
public class AccessAdmin {

    private final UserRepository users;
    private final NodeRepository nodes;
    private final AccessRepository grants;
    private final AuditService audit;
    private final CatalogService catalog;

    public AccessAdmin(
            UserRepository users,
            NodeRepository nodes,
            AccessRepository grants,
            AuditService audit,
            CatalogService catalog) {
        this.users = users;
        this.nodes = nodes;
        this.grants = grants;
        this.audit = audit;
        this.catalog = catalog;
    }

    public record ModelsView(String username, boolean hasAllModels, List<String> models, boolean restricted) {}

    public record NodesView(String username, List<Long> nodeIds, boolean restricted) {}

    public record NodeModelsView(String username, long nodeId, List<String> models, boolean restricted) {}

    public ModelsView models(String username) {
        return modelsView(user(username));
    }

    /** Replaces the specific models; an "all models" grant stays as it is. */
    @Transactional
    public ModelsView setModels(String username, JsonNode body, AdminActor actor) {
        UserEntity user = user(username);
        ModelsView before = modelsView(user);
        List<String> models = strings(body, "models");
        long id = id(user);
        grants.deleteSpecificModels(id);
        models.forEach(m -> grants.insertModel(id, m));
        return changed("set_user_models", user, before, actor);
    }

    @Transactional
    public ModelsView grantAllModels(String username, AdminActor actor) {
        UserEntity user = user(username);
        ModelsView before = modelsView(user);
        long id = id(user);
        grants.deleteAllModelsGrant(id);
        grants.insertAllModels(id);
        return changed("grant_all_models", user, before, actor);
    }

    /** Removes one model, or with {@code all} the "all models" grant. */
    @Transactional
    public ModelsView removeModel(String username, String model, AdminActor actor) {
        UserEntity user = user(username);
        ModelsView before = modelsView(user);
        if (model.equals("all")) {
            grants.deleteAllModelsGrant(id(user));
        } else {
            if (!before.models().contains(model)) {
                throw new GatewayException.NotFound("User '" + username + "' has no grant for model '" + model + "'");
            }
            grants.deleteModel(id(user), model);
        }
        return changed("remove_user_model", user, before, actor);
    }

    public NodesView nodes(String username) {
        return nodesView(user(username));
    }

    @Transactional
    public NodesView setNodes(String username, JsonNode body, AdminActor actor) {
        UserEntity user = user(username);
        NodesView before = nodesView(user);
        List<Long> ids = nodeIds(body);
        grants.deleteNodes(id(user));
        ids.forEach(n -> grants.insertNode(id(user), n));
        NodesView after = nodesView(user);
        audit.record("set_user_nodes", "user", username, actor, Map.of("before", before, "after", after));
        catalog.refresh();
        return after;
    }

    /** Lifts the node restriction (same as {@code DELETE /nodes}). */
    @Transactional
    public NodesView clearNodes(String username, AdminActor actor) {
        UserEntity user = user(username);
        NodesView before = nodesView(user);
        grants.deleteNodes(id(user));
        NodesView after = nodesView(user);
        audit.record("clear_user_nodes", "user", username, actor, Map.of("before", before, "after", after));
        catalog.refresh();
        return after;
    }

    public NodeModelsView nodeModels(String username, long nodeId) {
        UserEntity user = user(username);
        requireNode(nodeId);
        return nodeModelsView(user, nodeId);
    }

    @Transactional
    public NodeModelsView setNodeModels(String username, long nodeId, JsonNode body, AdminActor actor) {
        UserEntity user = user(username);
        requireNode(nodeId);
        NodeModelsView before = nodeModelsView(user, nodeId);
        List<String> models = strings(body, "models");
        grants.deleteNodeModels(id(user), nodeId);
        models.forEach(m -> grants.insertNodeModel(id(user), nodeId, m));
        NodeModelsView after = nodeModelsView(user, nodeId);
        audit.record("set_user_node_models", "user", username, actor, Map.of("before", before, "after", after));
        catalog.refresh();
        return after;
    }

    /**
     * {@code POST /nodes/{id}/models/all}: every model on that node (the per-node allowlist is removed); when the user
     * is restricted to a set of nodes, the node is added to it.
     */
    @Transactional
    public NodeModelsView grantAllNodeModels(String username, long nodeId, AdminActor actor) {
        UserEntity user = user(username);
        requireNode(nodeId);
        NodeModelsView before = nodeModelsView(user, nodeId);
        NodesView nodesBefore = nodesView(user);
        grants.deleteNodeModels(id(user), nodeId);
        if (nodesBefore.restricted() && !nodesBefore.nodeIds().contains(nodeId)) {
            grants.insertNode(id(user), nodeId);
        }
        NodeModelsView after = nodeModelsView(user, nodeId);
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("before", Map.of("node_models", before, "nodes", nodesBefore));
        details.put("after", Map.of("node_models", after, "nodes", nodesView(user)));
        audit.record("grant_all_node_models", "user", username, actor, details);
        catalog.refresh();
        return after;
    }

    @Transactional
    public NodeModelsView clearNodeModels(String username, long nodeId, AdminActor actor) {
        UserEntity user = user(username);
        requireNode(nodeId);
        NodeModelsView before = nodeModelsView(user, nodeId);
        grants.deleteNodeModels(id(user), nodeId);
        NodeModelsView after = nodeModelsView(user, nodeId);
        audit.record("clear_user_node_models", "user", username, actor, Map.of("before", before, "after", after));
        catalog.refresh();
        return after;
    }

    private ModelsView changed(String action, UserEntity user, ModelsView before, AdminActor actor) {
        ModelsView after = modelsView(user);
        audit.record(action, "user", user.username(), actor, Map.of("before", before, "after", after));
        catalog.refresh();
        return after;
    }

    private ModelsView modelsView(UserEntity user) {
        boolean all = false;
        List<String> models = new ArrayList<>();
        for (AccessRepository.ModelGrant g : grants.modelGrants(id(user))) {
            if (g.hasAllModels()) {
                all = true;
            } else if (g.modelDisplayName() != null) {
                models.add(g.modelDisplayName());
            }
        }
        models.sort(String::compareTo);
        return new ModelsView(user.username(), all, models, !all && !models.isEmpty());
    }

    private NodesView nodesView(UserEntity user) {
        List<Long> ids = grants.nodeGrants(id(user)).stream()
                .map(AccessRepository.NodeGrant::nodeId)
                .toList();
        return new NodesView(user.username(), ids, !ids.isEmpty());
    }

    private NodeModelsView nodeModelsView(UserEntity user, long nodeId) {
        List<String> models = grants.nodeModelGrants(id(user), nodeId).stream()
                .map(AccessRepository.NodeModelGrant::modelName)
                .toList();
        return new NodeModelsView(user.username(), nodeId, models, !models.isEmpty());
    }

    private UserEntity user(String username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new GatewayException.NotFound("User not found: " + username));
    }

    private void requireNode(long nodeId) {
        if (nodes.findById(nodeId).isEmpty()) {
            throw new GatewayException.NotFound("Node not found: " + nodeId);
        }
    }

    private List<Long> nodeIds(JsonNode body) {
        JsonNode ids = body.get("node_ids");
        if (ids == null || !ids.isArray()) {
            throw FieldError.of("node_ids", "must be an array of node ids");
        }
        Set<Long> out = new LinkedHashSet<>();
        for (JsonNode n : ids) {
            if (!n.isIntegralNumber()) {
                throw FieldError.of("node_ids", "must be an array of node ids");
            }
            requireNodeField(n.asLong());
            out.add(n.asLong());
        }
        return new ArrayList<>(out);
    }

    private void requireNodeField(long nodeId) {
        if (nodes.findById(nodeId).isEmpty()) {
            throw FieldError.of("node_ids", "node " + nodeId + " does not exist");
        }
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isArray()) {
            throw FieldError.of(field, "must be an array of model names");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode m : v) {
            if (!m.isTextual() || m.asText().isBlank() || m.asText().length() > 255) {
                throw FieldError.of(field, "must be an array of model names");
            }
            out.add(m.asText().strip());
        }
        return new ArrayList<>(out);
    }

    private static long id(UserEntity user) {
        return Objects.requireNonNull(user.id());
    }
}
