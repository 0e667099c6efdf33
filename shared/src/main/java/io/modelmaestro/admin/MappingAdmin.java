package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.ModelMappingEntity;
import io.modelmaestro.persistence.ModelMappingRepository;
import io.modelmaestro.persistence.NodeRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Model mappings (display name ⇄ real name, optionally node-scoped). {@code POST} upserts by display name. */
@Singleton
public class MappingAdmin {

    private static final Set<String> CAPABILITIES = Set.of(
            "completion", "tools", "thinking", "vision", "embedding", "insert", "code", "reasoning", "responses");

    private final ModelMappingRepository mappings;
    private final NodeRepository nodes;
    private final AuditService audit;
    private final CatalogService catalog;

    public MappingAdmin(
            ModelMappingRepository mappings, NodeRepository nodes, AuditService audit, CatalogService catalog) {
        this.mappings = mappings;
        this.nodes = nodes;
        this.audit = audit;
        this.catalog = catalog;
    }

    public record MappingView(
            long id,
            String displayName,
            String realName,
            List<Long> nodeIds,
            @Nullable Long nodeId,
            @Nullable String nodeName,
            @Nullable String nodeType,
            List<NodeRef> nodes,
            @Nullable Integer contextLength,
            @Nullable String contextLengthDisplay,
            List<String> capabilities,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {}

    /** A node a mapping is scoped to. */
    public record NodeRef(long id, String name, String nodeType) {}

    public List<MappingView> list() {
        return mappings.findAllOrderByDisplayName().stream().map(this::view).toList();
    }

    public MappingView get(String displayName) {
        return view(find(displayName));
    }

    @Transactional
    public MappingView upsert(JsonNode body, AdminActor actor) {
        requireObject(body);
        String display = NodeAdmin.requiredText(body, "display_name");
        checkName("display_name", display);
        String real = NodeAdmin.requiredText(body, "real_name");
        checkName("real_name", real);
        ModelMappingEntity existing = mappings.findByDisplayName(display).orElse(null);
        MappingView before = existing == null ? null : view(existing);
        Integer ctx = body.has("context_length")
                ? ContextLength.parse(body.get("context_length"))
                : existing == null ? null : existing.contextLength();
        String[] caps = body.has("capabilities")
                ? capabilities(body.get("capabilities"))
                : existing == null ? null : existing.capabilities();
        ModelMappingEntity saved = existing == null
                ? mappings.save(new ModelMappingEntity(null, display, real, ctx, caps, null, null))
                : mappings.update(new ModelMappingEntity(
                        existing.id(), display, real, ctx, caps, existing.createdAt(), existing.updatedAt()));
        long id = Objects.requireNonNull(saved.id());
        if (body.has("node_ids") || body.has("node_id")) {
            setNodes(id, nodeIds(body));
        }
        MappingView after = view(saved);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("before", before);
        changes.put("after", after);
        audit.record(existing == null ? "create_mapping" : "update_mapping", "model_mapping", display, actor, changes);
        catalog.refresh();
        return after;
    }

    /** Updates the mapping named {@code currentName}; {@code display_name} in the body renames it. */
    @Transactional
    public MappingView update(String currentName, JsonNode body, AdminActor actor) {
        requireObject(body);
        ModelMappingEntity m = find(currentName);
        MappingView before = view(m);
        String display = body.has("display_name") ? NodeAdmin.requiredText(body, "display_name") : m.displayName();
        checkName("display_name", display);
        if (!display.equals(m.displayName())
                && mappings.findByDisplayName(display).isPresent()) {
            throw FieldError.of("display_name", "Display name already exists: " + display);
        }
        String real = body.has("real_name") ? NodeAdmin.requiredText(body, "real_name") : m.realName();
        checkName("real_name", real);
        Integer ctx = body.has("context_length") ? ContextLength.parse(body.get("context_length")) : m.contextLength();
        String[] caps = body.has("capabilities") ? capabilities(body.get("capabilities")) : m.capabilities();
        ModelMappingEntity saved =
                mappings.update(new ModelMappingEntity(m.id(), display, real, ctx, caps, m.createdAt(), m.updatedAt()));
        if (body.has("node_ids") || body.has("node_id")) {
            setNodes(Objects.requireNonNull(m.id()), nodeIds(body));
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("before", before);
        changes.put("after", view(saved));
        audit.record("update_mapping", "model_mapping", currentName, actor, changes);
        catalog.refresh();
        return view(saved);
    }

    @Transactional
    public void delete(String displayName, AdminActor actor) {
        ModelMappingEntity m = find(displayName);
        mappings.delete(m);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("before", view(m));
        changes.put("after", null);
        audit.record("delete_mapping", "model_mapping", displayName, actor, changes);
        catalog.refresh();
    }

    private void setNodes(long mappingId, List<Long> nodeIds) {
        mappings.deleteNodeLinks(mappingId);
        for (long nodeId : nodeIds) {
            mappings.insertNodeLink(mappingId, nodeId);
        }
    }

    private List<Long> nodeIds(JsonNode body) {
        Set<Long> ids = new LinkedHashSet<>();
        JsonNode single = body.get("node_id");
        if (single != null && !single.isNull()) {
            if (!single.canConvertToLong() || !single.isIntegralNumber()) {
                throw FieldError.of("node_id", "must be an integer");
            }
            ids.add(single.asLong());
        }
        JsonNode many = body.get("node_ids");
        if (many != null && !many.isNull()) {
            if (!many.isArray()) {
                throw FieldError.of("node_ids", "must be an array of node ids");
            }
            for (JsonNode n : many) {
                if (!n.isIntegralNumber()) {
                    throw FieldError.of("node_ids", "must be an array of node ids");
                }
                ids.add(n.asLong());
            }
        }
        for (long id : ids) {
            if (nodes.findById(id).isEmpty()) {
                throw FieldError.of("node_ids", "node " + id + " does not exist");
            }
        }
        return new ArrayList<>(ids);
    }

    private static String @Nullable [] capabilities(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw FieldError.of("capabilities", "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : value) {
            if (!c.isTextual() || !CAPABILITIES.contains(c.asText())) {
                throw FieldError.of("capabilities", "each must be one of " + CAPABILITIES);
            }
            out.add(c.asText());
        }
        return out.toArray(String[]::new);
    }

    private static void checkName(String field, String name) {
        if (name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw FieldError.of(field, "must be at most 255 printable characters");
        }
        if (name.startsWith("node:")) {
            throw FieldError.of(field, "must not start with 'node:' (that prefix pins a node)");
        }
    }

    private MappingView view(ModelMappingEntity m) {
        long id = Objects.requireNonNull(m.id());
        String[] caps = m.capabilities();
        List<Long> nodeIds = mappings.findNodeIds(id);
        List<NodeRef> refs = new ArrayList<>();
        for (long nodeId : nodeIds) {
            nodes.findById(nodeId).ifPresent(n -> refs.add(new NodeRef(nodeId, n.name(), n.nodeType())));
        }
        NodeRef single = refs.size() == 1 ? refs.get(0) : null;
        return new MappingView(
                id,
                m.displayName(),
                m.realName(),
                nodeIds,
                single == null ? null : single.id(),
                single == null ? null : single.name(),
                single == null ? null : single.nodeType(),
                refs,
                m.contextLength(),
                ContextLength.display(m.contextLength()),
                caps == null ? List.of() : List.of(caps),
                m.createdAt(),
                m.updatedAt());
    }

    private ModelMappingEntity find(String displayName) {
        return mappings.findByDisplayName(displayName)
                .orElseThrow(() -> new GatewayException.NotFound("Model mapping not found: " + displayName));
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
    }
}
