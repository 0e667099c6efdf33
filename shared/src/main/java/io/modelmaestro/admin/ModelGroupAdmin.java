package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.ModelGroup;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.ModelGroupEntity;
import io.modelmaestro.persistence.ModelGroupMemberEntity;
import io.modelmaestro.persistence.ModelGroupMemberRepository;
import io.modelmaestro.persistence.ModelGroupRepository;
import io.modelmaestro.persistence.ModelMappingRepository;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Model groups and their members ({@code /admin/model-groups}, docs/model-groups.md). Every mutation is audited with
 * before/after and refreshes the catalog. Validation failures are 400s naming the field.
 */
@Singleton
public class ModelGroupAdmin {

    static final int MAX_FAILOVER_LIMIT = 100;
    static final int MAX_PRIORITY = 1_000_000;
    static final int MAX_WEIGHT = 1_000_000;

    private final ModelGroupRepository groups;
    private final ModelGroupMemberRepository members;
    private final ModelMappingRepository mappings;
    private final NodeRepository nodes;
    private final AuditService audit;
    private final CatalogService catalog;

    public ModelGroupAdmin(
            ModelGroupRepository groups,
            ModelGroupMemberRepository members,
            ModelMappingRepository mappings,
            NodeRepository nodes,
            AuditService audit,
            CatalogService catalog) {
        this.groups = groups;
        this.members = members;
        this.mappings = mappings;
        this.nodes = nodes;
        this.audit = audit;
        this.catalog = catalog;
    }

    /** A group as the admin API shows it; {@code members} lowest priority first. */
    public record GroupView(
            long id,
            String name,
            @Nullable String description,
            String strategy,
            @Nullable Integer failoverLimit,
            boolean enabled,
            boolean isActive,
            boolean listInCatalog,
            List<MemberView> members,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {}

    /** A member; {@code model_display_name} repeats {@code model} under the original product's name. */
    public record MemberView(
            long id,
            String model,
            String modelDisplayName,
            int priority,
            int weight,
            @Nullable Long nodeId,
            @Nullable String nodeName,
            @Nullable String nodeCode,
            boolean enabled,
            boolean isActive) {}

    public record GroupList(List<GroupView> groups, int total) {}

    public GroupList list() {
        List<GroupView> out =
                groups.findAllOrderByName().stream().map(this::view).toList();
        return new GroupList(out, out.size());
    }

    public GroupView get(String name) {
        return view(find(name));
    }

    @Transactional
    public GroupView create(JsonNode body, AdminActor actor) {
        requireObject(body);
        String name = NodeAdmin.requiredText(body, "name");
        checkGroupName(name);
        if (groups.findByName(name).isPresent()) {
            throw FieldError.of("name", "a model group named '" + name + "' already exists");
        }
        ModelGroupEntity saved = groups.save(new ModelGroupEntity(
                null,
                name,
                description(body, null),
                strategy(body, ModelGroup.Strategy.ROUND_ROBIN.wireName()),
                enabled(body, true),
                NodeAdmin.boolField(body, "list_in_catalog", true),
                failoverLimit(body, null),
                null,
                null));
        long id = Objects.requireNonNull(saved.id());
        JsonNode initial = body.get("members");
        if (initial != null && !initial.isNull()) {
            if (!initial.isArray()) {
                throw FieldError.of("members", "must be an array of members");
            }
            int i = 0;
            for (JsonNode m : initial) {
                members.save(memberFrom(m, id, null, "members[" + i + "]."));
                i++;
            }
        }
        GroupView after = view(saved);
        audit.record("create_model_group", "model_group", name, actor, beforeAfter(null, after));
        catalog.refresh();
        return after;
    }

    /** Partial update; {@code name} in the body renames the group. */
    @Transactional
    public GroupView update(String currentName, JsonNode body, AdminActor actor) {
        requireObject(body);
        ModelGroupEntity g = find(currentName);
        GroupView before = view(g);
        String name = body.has("name") ? NodeAdmin.requiredText(body, "name") : g.name();
        if (!name.equals(g.name())) {
            checkGroupName(name);
            if (groups.findByName(name).isPresent()) {
                throw FieldError.of("name", "a model group named '" + name + "' already exists");
            }
        }
        if (body.has("members")) {
            throw FieldError.of("members", "members are changed through /admin/model-groups/{name}/members");
        }
        ModelGroupEntity saved = groups.update(new ModelGroupEntity(
                g.id(),
                name,
                body.has("description") ? description(body, null) : g.description(),
                strategy(body, g.strategy()),
                enabled(body, g.isActive()),
                NodeAdmin.boolField(body, "list_in_catalog", g.listInCatalog()),
                body.has("failover_limit") ? failoverLimit(body, null) : g.failoverLimit(),
                g.createdAt(),
                g.updatedAt()));
        GroupView after = view(saved);
        audit.record("update_model_group", "model_group", currentName, actor, beforeAfter(before, after));
        catalog.refresh();
        return after;
    }

    /** Deletes the group and its members ({@code enabled: false} keeps it without routing to it). */
    @Transactional
    public void delete(String name, AdminActor actor) {
        ModelGroupEntity g = find(name);
        GroupView before = view(g);
        groups.delete(g);
        audit.record("delete_model_group", "model_group", name, actor, beforeAfter(before, null));
        catalog.refresh();
    }

    @Transactional
    public MemberView addMember(String groupName, JsonNode body, AdminActor actor) {
        ModelGroupEntity g = find(groupName);
        ModelGroupMemberEntity saved = members.save(memberFrom(body, Objects.requireNonNull(g.id()), null, ""));
        MemberView after = memberView(saved);
        audit.record("add_model_group_member", "model_group", groupName, actor, memberChange(saved, null, after));
        catalog.refresh();
        return after;
    }

    @Transactional
    public MemberView updateMember(String groupName, long memberId, JsonNode body, AdminActor actor) {
        ModelGroupEntity g = find(groupName);
        ModelGroupMemberEntity m = findMember(g, memberId);
        MemberView before = memberView(m);
        ModelGroupMemberEntity saved = members.update(memberFrom(body, Objects.requireNonNull(g.id()), m, ""));
        MemberView after = memberView(saved);
        audit.record("update_model_group_member", "model_group", groupName, actor, memberChange(saved, before, after));
        catalog.refresh();
        return after;
    }

    @Transactional
    public void deleteMember(String groupName, long memberId, AdminActor actor) {
        ModelGroupEntity g = find(groupName);
        ModelGroupMemberEntity m = findMember(g, memberId);
        MemberView before = memberView(m);
        members.delete(m);
        audit.record("remove_model_group_member", "model_group", groupName, actor, memberChange(m, before, null));
        catalog.refresh();
    }

    /**
     * A member from a request body: all fields for a new member ({@code existing} null), only those present for an
     * update. {@code prefix} names the field inside a bigger body ({@code members[0].}).
     */
    private ModelGroupMemberEntity memberFrom(
            JsonNode body, long groupId, @Nullable ModelGroupMemberEntity existing, String prefix) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest(
                    prefix.isEmpty()
                            ? "The request body must be a JSON object."
                            : prefix.substring(0, prefix.length() - 1) + ": must be an object",
                    prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1));
        }
        String modelField = body.has("model") || !body.has("model_display_name") ? "model" : "model_display_name";
        String model;
        if (existing == null || body.has(modelField)) {
            model = text(body, modelField, prefix);
            checkModelName(prefix + modelField, model);
        } else {
            model = existing.modelDisplayName();
        }
        int priority = body.has("priority")
                ? integer(body, "priority", prefix, -MAX_PRIORITY, MAX_PRIORITY)
                : existing == null ? 0 : existing.priority();
        int weight = body.has("weight")
                ? integer(body, "weight", prefix, 0, MAX_WEIGHT)
                : existing == null ? 1 : existing.weight();
        Long nodeId = existing == null ? null : existing.nodeId();
        for (String field : List.of("node", "node_id", "node_code")) {
            if (body.has(field)) {
                nodeId = node(body.get(field), prefix + field);
            }
        }
        boolean enabled = existing == null || existing.isActive();
        for (String field : List.of("enabled", "is_active")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                if (!v.isBoolean()) {
                    throw FieldError.of(prefix + field, "must be a boolean");
                }
                enabled = v.asBoolean();
            }
        }
        for (ModelGroupMemberEntity other : members.findByGroup(groupId)) {
            if ((existing == null || !Objects.equals(other.id(), existing.id()))
                    && other.modelDisplayName().equals(model)
                    && Objects.equals(other.nodeId(), nodeId)) {
                throw FieldError.of(
                        prefix + "model",
                        "'" + model + "' is already a member of this group" + (nodeId == null ? "" : " on that node"));
            }
        }
        return new ModelGroupMemberEntity(
                existing == null ? null : existing.id(),
                groupId,
                model,
                nodeId,
                priority,
                weight,
                enabled,
                existing == null ? null : existing.createdAt(),
                existing == null ? null : existing.updatedAt());
    }

    /** A node given by id (a number) or code (a string); null unpins. */
    private @Nullable Long node(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        NodeEntity node;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            node = nodes.findById(value.asLong()).orElse(null);
        } else if (value.isTextual() && !value.asText().isBlank()) {
            node = nodes.findByCode(value.asText().strip()).orElse(null);
        } else {
            throw FieldError.of(field, "must be a node id (integer) or a node code (string)");
        }
        if (node == null) {
            throw FieldError.of(field, "no node " + value + " exists");
        }
        return node.id();
    }

    private static String text(JsonNode body, String field, String prefix) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            throw FieldError.of(prefix + field, "is required");
        }
        if (!v.isTextual()) {
            throw FieldError.of(prefix + field, "must be a string");
        }
        return v.asText().strip();
    }

    private static int integer(JsonNode body, String field, String prefix, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw FieldError.of(prefix + field, "must be an integer");
        }
        int value = v.asInt();
        if (value < min || value > max) {
            throw FieldError.of(prefix + field, "must be between " + min + " and " + max);
        }
        return value;
    }

    private void checkGroupName(String name) {
        if (name.length() > 255
                || name.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) || c == '/')) {
            throw FieldError.of("name", "must be at most 255 characters, without spaces or '/'");
        }
        if (name.startsWith("node:")) {
            throw FieldError.of("name", "must not start with 'node:' (that prefix pins a node)");
        }
        if (mappings.findByDisplayName(name).isPresent()) {
            throw FieldError.of("name", "a model mapping is already called '" + name + "'");
        }
    }

    private void checkModelName(String field, String model) {
        if (model.length() > 255 || model.chars().anyMatch(Character::isISOControl)) {
            throw FieldError.of(field, "must be at most 255 printable characters");
        }
        if (model.startsWith("node:")) {
            throw FieldError.of(field, "must be a model name; pin a node with 'node' instead of a 'node:' prefix");
        }
        if (groups.findByName(model).isPresent()) {
            throw FieldError.of(field, "'" + model + "' is a model group; groups cannot be members of groups");
        }
    }

    private static @Nullable String description(JsonNode body, @Nullable String fallback) {
        JsonNode v = body.get("description");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw FieldError.of("description", "must be a string");
        }
        if (v.asText().length() > 2000) {
            throw FieldError.of("description", "must be at most 2000 characters");
        }
        return v.asText();
    }

    private static String strategy(JsonNode body, String fallback) {
        JsonNode v = body.get("strategy");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || ModelGroup.Strategy.parse(v.asText()).isEmpty()) {
            throw FieldError.of("strategy", "must be one of round_robin, weighted, priority");
        }
        return v.asText();
    }

    private static boolean enabled(JsonNode body, boolean fallback) {
        boolean value = NodeAdmin.boolField(body, "is_active", fallback);
        return NodeAdmin.boolField(body, "enabled", value);
    }

    private static @Nullable Integer failoverLimit(JsonNode body, @Nullable Integer fallback) {
        JsonNode v = body.get("failover_limit");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw FieldError.of("failover_limit", "must be an integer or null");
        }
        int value = v.asInt();
        if (value < 1 || value > MAX_FAILOVER_LIMIT) {
            throw FieldError.of("failover_limit", "must be between 1 and " + MAX_FAILOVER_LIMIT);
        }
        return value;
    }

    private static Map<String, Object> beforeAfter(@Nullable Object before, @Nullable Object after) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("before", before);
        changes.put("after", after);
        return changes;
    }

    private static Map<String, Object> memberChange(
            ModelGroupMemberEntity member, @Nullable MemberView before, @Nullable MemberView after) {
        Map<String, Object> changes = beforeAfter(before, after);
        changes.put("member_id", member.id());
        return changes;
    }

    private GroupView view(ModelGroupEntity g) {
        long id = Objects.requireNonNull(g.id());
        List<MemberView> memberViews = new ArrayList<>();
        for (ModelGroupMemberEntity m : members.findByGroup(id)) {
            memberViews.add(memberView(m));
        }
        return new GroupView(
                id,
                g.name(),
                g.description(),
                g.strategy(),
                g.failoverLimit(),
                g.isActive(),
                g.isActive(),
                g.listInCatalog(),
                memberViews,
                g.createdAt(),
                g.updatedAt());
    }

    private MemberView memberView(ModelGroupMemberEntity m) {
        Long nodeId = m.nodeId();
        NodeEntity node = nodeId == null ? null : nodes.findById(nodeId).orElse(null);
        return new MemberView(
                Objects.requireNonNull(m.id()),
                m.modelDisplayName(),
                m.modelDisplayName(),
                m.priority(),
                m.weight(),
                nodeId,
                node == null ? null : node.name(),
                node == null ? null : node.code(),
                m.isActive(),
                m.isActive());
    }

    private ModelGroupEntity find(String name) {
        return groups.findByName(name)
                .orElseThrow(() -> new GatewayException.NotFound("Model group '" + name + "' not found"));
    }

    private ModelGroupMemberEntity findMember(ModelGroupEntity g, long memberId) {
        return members.findById(memberId)
                .filter(m -> m.groupId() == Objects.requireNonNull(g.id()))
                .orElseThrow(() -> new GatewayException.NotFound(
                        "Member " + memberId + " not found in model group '" + g.name() + "'"));
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
    }
}
