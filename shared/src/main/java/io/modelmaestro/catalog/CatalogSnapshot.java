package io.modelmaestro.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable view of nodes, mappings, model groups and users, loaded from the database and swapped atomically on change. The
 * request path reads only this: no database round trip per request.
 */
public final class CatalogSnapshot {

    public static final CatalogSnapshot EMPTY = new CatalogSnapshot(List.of(), List.of(), List.of());

    private final Map<Long, Node> nodesById = new LinkedHashMap<>();
    private final Map<String, Node> nodesByCode = new HashMap<>();
    private final Map<String, ModelMapping> mappingsByDisplay = new LinkedHashMap<>();
    private final Map<String, UserRecord> usersByName = new HashMap<>();
    private final Map<String, ModelGroup> groupsByName = new LinkedHashMap<>();
    private final Map<Long, Map<String, NodeModelInfo>> nodeModelInfo = new HashMap<>();
    private final Map<Long, List<NodeModelInfo>> discovered;

    public CatalogSnapshot(Collection<Node> nodes, Collection<ModelMapping> mappings, Collection<UserRecord> users) {
        this(nodes, mappings, users, List.of(), Map.of());
    }

    /**
     * @param groups model groups, enabled or not
     * @param discovered per node id, the available models discovery recorded ({@code node_models}: context length,
     *     capabilities, the node's own listing entry)
     */
    public CatalogSnapshot(
            Collection<Node> nodes,
            Collection<ModelMapping> mappings,
            Collection<UserRecord> users,
            Collection<ModelGroup> groups,
            Map<Long, List<NodeModelInfo>> discovered) {
        this.discovered = Map.copyOf(discovered);
        for (Node n : nodes) {
            nodesById.put(n.id(), n);
            if (n.code() != null) {
                nodesByCode.put(n.code(), n);
            }
        }
        for (ModelMapping m : mappings) {
            mappingsByDisplay.put(m.displayName(), m);
        }
        for (UserRecord u : users) {
            usersByName.put(u.username(), u);
        }
        for (ModelGroup g : groups) {
            groupsByName.put(g.name(), g);
        }
        discovered.forEach((node, models) -> {
            Map<String, NodeModelInfo> byName = new HashMap<>();
            for (NodeModelInfo m : models) {
                byName.put(m.name(), m);
            }
            this.nodeModelInfo.put(node, byName);
        });
    }

    /** The models discovery found available on the node, in the order it stored them. */
    public List<NodeModelInfo> discovered(long nodeId) {
        return discovered.getOrDefault(nodeId, List.of());
    }

    public Collection<ModelGroup> groups() {
        return groupsByName.values();
    }

    /**
     * The group a client name refers to, enabled or not: exact, else with {@code :latest} added or removed (as for
     * mappings).
     */
    public @Nullable ModelGroup group(String name) {
        ModelGroup g = groupsByName.get(name);
        if (g == null && !name.contains(":")) {
            g = groupsByName.get(name + ":latest");
        }
        if (g == null && name.endsWith(":latest")) {
            g = groupsByName.get(name.substring(0, name.length() - ":latest".length()));
        }
        return g;
    }

    /** What {@code node_models} recorded about {@code realName} on that node, if anything. */
    public @Nullable NodeModelInfo nodeModel(long nodeId, String realName) {
        Map<String, NodeModelInfo> models = nodeModelInfo.get(nodeId);
        if (models == null) {
            return null;
        }
        NodeModelInfo info = models.get(realName);
        if (info == null && !realName.contains(":")) {
            info = models.get(realName + ":latest");
        }
        return info;
    }

    public Collection<Node> nodes() {
        return nodesById.values();
    }

    public Optional<Node> node(long id) {
        return Optional.ofNullable(nodesById.get(id));
    }

    public Optional<Node> nodeByCode(String code) {
        return Optional.ofNullable(nodesByCode.get(code));
    }

    public Collection<ModelMapping> mappings() {
        return mappingsByDisplay.values();
    }

    /**
     * The mapping for a client name: exact, else the same name with {@code :latest} added (untagged) or removed
     * (Ollama clients add {@code :latest} to every untagged name).
     */
    public @Nullable ModelMapping mapping(String displayName) {
        ModelMapping m = mappingsByDisplay.get(displayName);
        if (m == null && !displayName.contains(":")) {
            m = mappingsByDisplay.get(displayName + ":latest");
        }
        if (m == null && displayName.endsWith(":latest")) {
            m = mappingsByDisplay.get(displayName.substring(0, displayName.length() - ":latest".length()));
        }
        return m;
    }

    /** Every mapping whose real name is {@code realName} and that applies on {@code nodeId}. */
    public List<ModelMapping> mappingsForReal(String realName, long nodeId) {
        List<ModelMapping> out = new ArrayList<>();
        for (ModelMapping m : mappingsByDisplay.values()) {
            if (m.realName().equals(realName) && m.appliesTo(nodeId)) {
                out.add(m);
            }
        }
        return out;
    }

    public Optional<UserRecord> user(String username) {
        return Optional.ofNullable(usersByName.get(username));
    }
}
