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
 * An immutable view of nodes, mappings and users, loaded from the database and swapped atomically on change. The
 * request path reads only this: no database round trip per request.
 */
public final class CatalogSnapshot {

    public static final CatalogSnapshot EMPTY = new CatalogSnapshot(List.of(), List.of(), List.of());

    private final Map<Long, Node> nodesById = new LinkedHashMap<>();
    private final Map<String, Node> nodesByCode = new HashMap<>();
    private final Map<String, ModelMapping> mappingsByDisplay = new LinkedHashMap<>();
    private final Map<String, UserRecord> usersByName = new HashMap<>();
    private final Map<Long, List<NodeModelInfo>> discovered;

    public CatalogSnapshot(Collection<Node> nodes, Collection<ModelMapping> mappings, Collection<UserRecord> users) {
        this(nodes, mappings, users, Map.of());
    }

    /** With the models discovery found per node ({@code node_models}). */
    public CatalogSnapshot(
            Collection<Node> nodes,
            Collection<ModelMapping> mappings,
            Collection<UserRecord> users,
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

    /** The models discovery found on a node, with what the node said about them; empty when none or never run. */
    public List<NodeModelInfo> discovered(long nodeId) {
        return discovered.getOrDefault(nodeId, List.of());
    }

    public Optional<UserRecord> user(String username) {
        return Optional.ofNullable(usersByName.get(username));
    }
}
