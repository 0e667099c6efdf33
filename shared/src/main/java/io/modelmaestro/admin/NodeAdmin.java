package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.crypto.SecretCipher;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.routing.NodeHealth;
import io.modelmaestro.upstream.NetworkPolicy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Nodes: create, read, update, delete, toggle. Credentials (API key, custom headers) are write-only: they are stored
 * encrypted and never returned, only reported as set or not. Node URLs are checked against the {@link NetworkPolicy}.
 */
@Singleton
public class NodeAdmin {

    private static final Pattern CODE = Pattern.compile("^[a-z0-9_-]{1,30}$");
    /** Node types that have a provider today; the others arrive with their providers. */
    private static final Set<NodeType> SUPPORTED =
            Set.of(NodeType.OLLAMA, NodeType.OPENAI, NodeType.VLLM, NodeType.ANTHROPIC, NodeType.BEDROCK);

    private static final Set<String> FORBIDDEN_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "content-type");

    private final NodeRepository nodes;
    private final SecretCipher cipher;
    private final NetworkPolicy network;
    private final AuditService audit;
    private final CatalogService catalog;
    private final NodeHealth health;

    public NodeAdmin(
            NodeRepository nodes,
            SecretCipher cipher,
            NetworkPolicy network,
            AuditService audit,
            CatalogService catalog,
            NodeHealth health) {
        this.nodes = nodes;
        this.cipher = cipher;
        this.network = network;
        this.audit = audit;
        this.catalog = catalog;
        this.health = health;
    }

    public record NodeView(
            long id,
            String name,
            @Nullable String code,
            String nodeType,
            String baseUrl,
            int priority,
            int weight,
            boolean isActive,
            boolean warmupEnabled,
            boolean autoSyncEnabled,
            boolean scopedModels,
            boolean hasApiKey,
            List<String> headerNames,
            @Nullable String awsRegion,
            boolean hasAwsCredentials,
            String healthStatus,
            @Nullable Instant lastHealthCheck,
            @Nullable String lastError,
            @Nullable Integer lastLatencyMs,
            @Nullable Instant coolingDownUntil,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {}

    public record ToggleView(long id, String name, boolean isActive) {}

    public List<NodeView> list() {
        return nodes.findAllOrderByPriorityDescAndId().stream().map(this::view).toList();
    }

    public NodeView get(long id) {
        return view(find(id));
    }

    /** Creates a node from the seed's JSON body ({@code name, base_url, node_type, code, priority, ...}). */
    @Transactional
    public NodeView create(JsonNode body, AdminActor actor) {
        requireObject(body);
        String name = requiredText(body, "name");
        if (nodes.findByName(name).isPresent()) {
            throw FieldError.of("name", "a node named '" + name + "' already exists");
        }
        NodeType type = nodeType(optionalText(body, "node_type"), NodeType.OLLAMA);
        String baseUrl;
        BedrockNodeFields.Stored aws = null;
        if (type == NodeType.BEDROCK) {
            BedrockNodeFields.rejectForeign(body);
            String rawUrl = blankToNull(optionalText(body, "base_url"));
            String region = requireRegion(BedrockNodeFields.region(body, rawUrl));
            baseUrl = checkUrl(rawUrl == null ? BedrockNodeFields.defaultBaseUrl(region) : rawUrl);
            aws = BedrockNodeFields.credentials(body, region, cipher);
        } else {
            BedrockNodeFields.rejectOnOtherTypes(body);
            baseUrl = checkUrl(requiredText(body, "base_url"));
        }
        String code = code(optionalText(body, "code"), null);
        NodeEntity saved = nodes.save(new NodeEntity(
                null,
                name,
                code,
                type.wireName(),
                baseUrl,
                intField(body, "priority", 0, -1_000_000, 1_000_000),
                intField(body, "weight", 100, 0, 1_000_000),
                boolField(body, "is_active", true),
                boolField(body, "warmup_enabled", false),
                boolField(body, "auto_sync_enabled", true),
                boolField(body, "scoped_models", false),
                cipher.encrypt(blankToNull(optionalText(body, "api_key"))),
                cipher.encrypt(headers(body.get("headers"))),
                aws == null ? null : aws.accessKeyEnc(),
                aws == null ? null : aws.secretKeyEnc(),
                aws == null ? null : aws.sessionTokenEnc(),
                aws == null ? null : aws.region(),
                "unknown",
                null,
                null,
                null,
                null,
                null));
        audit.record("create_node", "node", saved.id(), actor, beforeAfter(null, view(saved), body));
        catalog.refresh();
        return view(saved);
    }

    /** Updates the fields present in {@code body}; absent fields keep their value. {@code api_key: null} clears it. */
    @Transactional
    public NodeView update(long id, JsonNode body, AdminActor actor) {
        requireObject(body);
        NodeEntity n = find(id);
        String name = body.has("name") ? requiredText(body, "name") : n.name();
        if (!name.equals(n.name()) && nodes.findByName(name).isPresent()) {
            throw FieldError.of("name", "a node named '" + name + "' already exists");
        }
        NodeType type = body.has("node_type")
                ? nodeType(optionalText(body, "node_type"), NodeType.OLLAMA)
                : NodeType.parse(n.nodeType()).orElse(NodeType.OLLAMA);
        String baseUrl;
        String awsAccessEnc = n.awsAccessKeyEnc();
        String awsSecretEnc = n.awsSecretKeyEnc();
        String awsTokenEnc = n.awsSessionTokenEnc();
        String awsRegion = n.awsRegion();
        if (type == NodeType.BEDROCK) {
            BedrockNodeFields.rejectForeign(body);
            String rawUrl = body.has("base_url") ? blankToNull(optionalText(body, "base_url")) : null;
            String oldRegion = n.awsRegion() != null ? n.awsRegion() : BedrockNodeFields.regionOf(n.baseUrl());
            String named = BedrockNodeFields.region(body, rawUrl);
            String region = requireRegion(named != null ? named : oldRegion);
            if (body.has("base_url")) {
                baseUrl = checkUrl(rawUrl == null ? BedrockNodeFields.defaultBaseUrl(region) : rawUrl);
            } else if (!region.equals(oldRegion)
                    && (oldRegion == null || n.baseUrl().equals(BedrockNodeFields.defaultBaseUrl(oldRegion)))) {
                // The URL was the derived one: it follows the region.
                baseUrl = checkUrl(BedrockNodeFields.defaultBaseUrl(region));
            } else {
                baseUrl = n.baseUrl();
            }
            awsRegion = region;
            if (BedrockNodeFields.touchesCredentials(body)) {
                BedrockNodeFields.Stored aws = BedrockNodeFields.credentials(body, region, cipher);
                awsAccessEnc = aws.accessKeyEnc();
                awsSecretEnc = aws.secretKeyEnc();
                awsTokenEnc = aws.sessionTokenEnc();
            }
        } else {
            BedrockNodeFields.rejectOnOtherTypes(body);
            baseUrl = body.has("base_url") ? checkUrl(requiredText(body, "base_url")) : n.baseUrl();
        }
        String code = body.has("code") ? code(optionalText(body, "code"), n.id()) : n.code();
        String apiKeyEnc = n.apiKeyEnc();
        if (body.has("api_key")) {
            apiKeyEnc = cipher.encrypt(blankToNull(optionalText(body, "api_key")));
        }
        String headersEnc = body.has("headers") ? cipher.encrypt(headers(body.get("headers"))) : n.headersEnc();
        NodeEntity updated = nodes.update(new NodeEntity(
                n.id(),
                name,
                code,
                type.wireName(),
                baseUrl,
                intField(body, "priority", n.priority(), -1_000_000, 1_000_000),
                intField(body, "weight", n.weight(), 0, 1_000_000),
                boolField(body, "is_active", n.isActive()),
                boolField(body, "warmup_enabled", n.warmupEnabled()),
                boolField(body, "auto_sync_enabled", n.autoSyncEnabled()),
                boolField(body, "scoped_models", n.scopedModels()),
                apiKeyEnc,
                headersEnc,
                awsAccessEnc,
                awsSecretEnc,
                awsTokenEnc,
                awsRegion,
                n.healthStatus(),
                n.lastHealthCheck(),
                n.lastError(),
                n.lastLatencyMs(),
                n.createdAt(),
                n.updatedAt()));
        audit.record("update_node", "node", id, actor, beforeAfter(view(n), view(updated), body));
        catalog.refresh();
        return view(updated);
    }

    @Transactional
    public ToggleView toggle(long id, AdminActor actor) {
        NodeEntity n = find(id);
        boolean active = !n.isActive();
        nodes.update(withActive(n, active));
        audit.record(
                "toggle_node",
                "node",
                id,
                actor,
                Map.of("before", Map.of("is_active", !active), "after", Map.of("is_active", active)));
        catalog.refresh();
        return new ToggleView(id, n.name(), active);
    }

    /**
     * {@code PATCH /admin/nodes/batch/priority} ({@code {"priorities":[{"id":1,"priority":200},...]}}): sets several
     * nodes' priorities at once (the admin site's drag-and-drop order). All or nothing: every entry is checked first.
     * Answers every node, highest priority first.
     */
    @Transactional
    public List<NodeView> setPriorities(JsonNode body, AdminActor actor) {
        requireObject(body);
        JsonNode list = body.get("priorities");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw FieldError.of("priorities", "must be a non-empty array of {\"id\", \"priority\"}");
        }
        Map<Long, Integer> wanted = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String field = "priorities[" + i + "]";
            if (!entry.isObject()) {
                throw FieldError.of(field, "must be an object {\"id\", \"priority\"}");
            }
            JsonNode id = entry.get("id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
                throw FieldError.of(field + ".id", "must be a node id");
            }
            if (!entry.has("priority") || entry.get("priority").isNull()) {
                throw FieldError.of(field + ".priority", "is required");
            }
            int priority = intField(entry, "priority", 0, -1_000_000, 1_000_000, field + ".priority");
            if (wanted.put(id.asLong(), priority) != null) {
                throw FieldError.of(field + ".id", "node " + id.asLong() + " appears twice");
            }
        }
        Map<Long, NodeEntity> found = new LinkedHashMap<>();
        int i = 0;
        for (long id : wanted.keySet()) {
            NodeEntity n = nodes.findById(id).orElse(null);
            if (n == null) {
                throw FieldError.of("priorities[" + i + "].id", "node " + id + " does not exist");
            }
            found.put(id, n);
            i++;
        }
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        found.forEach((id, n) -> {
            int priority = wanted.getOrDefault(id, n.priority());
            before.put(String.valueOf(id), n.priority());
            after.put(String.valueOf(id), priority);
            if (priority != n.priority()) {
                nodes.update(withPriority(n, priority));
            }
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        audit.record("set_node_priorities", "node", String.join(",", after.keySet()), actor, details);
        catalog.refresh();
        return list();
    }

    @Transactional
    public void delete(long id, AdminActor actor) {
        NodeEntity n = find(id);
        nodes.delete(n);
        audit.record("delete_node", "node", id, actor, beforeAfter(view(n), null, null));
        catalog.refresh();
    }

    private static NodeEntity withPriority(NodeEntity n, int priority) {
        return new NodeEntity(
                n.id(),
                n.name(),
                n.code(),
                n.nodeType(),
                n.baseUrl(),
                priority,
                n.weight(),
                n.isActive(),
                n.warmupEnabled(),
                n.autoSyncEnabled(),
                n.scopedModels(),
                n.apiKeyEnc(),
                n.headersEnc(),
                n.awsAccessKeyEnc(),
                n.awsSecretKeyEnc(),
                n.awsSessionTokenEnc(),
                n.awsRegion(),
                n.healthStatus(),
                n.lastHealthCheck(),
                n.lastError(),
                n.lastLatencyMs(),
                n.createdAt(),
                n.updatedAt());
    }

    private static NodeEntity withActive(NodeEntity n, boolean active) {
        return new NodeEntity(
                n.id(),
                n.name(),
                n.code(),
                n.nodeType(),
                n.baseUrl(),
                n.priority(),
                n.weight(),
                active,
                n.warmupEnabled(),
                n.autoSyncEnabled(),
                n.scopedModels(),
                n.apiKeyEnc(),
                n.headersEnc(),
                n.awsAccessKeyEnc(),
                n.awsSecretKeyEnc(),
                n.awsSessionTokenEnc(),
                n.awsRegion(),
                n.healthStatus(),
                n.lastHealthCheck(),
                n.lastError(),
                n.lastLatencyMs(),
                n.createdAt(),
                n.updatedAt());
    }

    private NodeView view(NodeEntity n) {
        List<String> headerNames = new ArrayList<>();
        try {
            String h = cipher.decrypt(n.headersEnc());
            if (h != null) {
                Json.parse(h).fieldNames().forEachRemaining(headerNames::add);
            }
        } catch (IllegalStateException e) {
            headerNames.add("(unreadable)");
        }
        Long id = n.id();
        return new NodeView(
                id == null ? 0 : id,
                n.name(),
                n.code(),
                n.nodeType(),
                n.baseUrl(),
                n.priority(),
                n.weight(),
                n.isActive(),
                n.warmupEnabled(),
                n.autoSyncEnabled(),
                n.scopedModels(),
                n.apiKeyEnc() != null,
                headerNames,
                n.awsRegion(),
                n.awsAccessKeyEnc() != null,
                n.healthStatus(),
                n.lastHealthCheck(),
                n.lastError(),
                n.lastLatencyMs(),
                id != null && health.isCoolingDown(id) ? health.coolingUntil(id) : null,
                n.createdAt(),
                n.updatedAt());
    }

    private NodeEntity find(long id) {
        return nodes.findById(id).orElseThrow(() -> new GatewayException.NotFound("Node not found: " + id));
    }

    private String checkUrl(String url) {
        network.checkBaseUrl(url).ifPresent(problem -> {
            throw FieldError.of("base_url", problem);
        });
        String trimmed = url.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static NodeType nodeType(@Nullable String value, NodeType fallback) {
        if (value == null) {
            return fallback;
        }
        NodeType type = NodeType.parse(value)
                .orElseThrow(
                        () -> FieldError.of("node_type", "must be one of ollama, openai, vllm, anthropic, bedrock"));
        if (!SUPPORTED.contains(type)) {
            throw FieldError.of(
                    "node_type",
                    "'" + value + "' is not supported yet; use ollama, openai, vllm, anthropic or bedrock");
        }
        return type;
    }

    private static String requireRegion(@Nullable String region) {
        if (region == null) {
            throw FieldError.of(
                    BedrockNodeFields.REGION,
                    "is required for bedrock nodes (or a base_url https://bedrock-runtime.{region}.amazonaws.com)");
        }
        return region;
    }

    private @Nullable String code(@Nullable String value, @Nullable Long selfId) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String code = value.strip().toLowerCase(Locale.ROOT);
        if (!CODE.matcher(code).matches()) {
            throw FieldError.of("code", "must match ^[a-z0-9_-]{1,30}$");
        }
        nodes.findByCode(code).ifPresent(other -> {
            if (!java.util.Objects.equals(other.id(), selfId)) {
                throw FieldError.of("code", "code '" + code + "' is used by node '" + other.name() + "'");
            }
        });
        return code;
    }

    private static @Nullable String headers(@Nullable JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return null;
        }
        if (!headers.isObject()) {
            throw FieldError.of("headers", "must be an object of header names to string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().strip().toLowerCase(Locale.ROOT);
            if (!key.matches("^[a-z0-9!#$%&'*+.^_`|~-]+$") || FORBIDDEN_HEADERS.contains(key)) {
                throw FieldError.of("headers", "header name '" + e.getKey() + "' is not allowed");
            }
            if (!e.getValue().isTextual() || e.getValue().asText().matches(".*[\\r\\n].*")) {
                throw FieldError.of("headers", "header '" + e.getKey() + "' must be a single-line string");
            }
            out.put(key, e.getValue().asText());
        }
        return out.isEmpty() ? null : Json.writeString(out);
    }

    /**
     * Audit details: the node before and after (views carry no credentials, only {@code has_api_key} and header
     * names) and the request's fields with credential values replaced by "set"/"cleared".
     */
    private static Map<String, Object> beforeAfter(
            @Nullable NodeView before, @Nullable NodeView after, @Nullable JsonNode body) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        if (body != null) {
            details.put("request", safeDetails(body));
        }
        return details;
    }

    /** What goes into the audit log: the body without credential values. */
    private static Map<String, Object> safeDetails(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        if (copy.has("api_key")) {
            copy.put("api_key", copy.get("api_key").isNull() ? "cleared" : "set");
        }
        BedrockNodeFields.mask(copy);
        if (copy.has("headers") && copy.get("headers").isObject()) {
            List<String> names = new ArrayList<>();
            copy.get("headers").fieldNames().forEachRemaining(names::add);
            copy.set("headers", Json.mapper().valueToTree(names));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        copy.fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue()));
        return details;
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
    }

    static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null || value.isBlank()) {
            throw FieldError.of(field, "is required");
        }
        return value.strip();
    }

    static @Nullable String optionalText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw FieldError.of(field, "must be a string");
        }
        return v.asText();
    }

    static int intField(JsonNode body, String field, int fallback, int min, int max) {
        return intField(body, field, fallback, min, max, field);
    }

    /** {@code body.field} as an int; errors name {@code reportAs} (e.g. {@code priorities[2].priority}). */
    static int intField(JsonNode body, String field, int fallback, int min, int max, String reportAs) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw FieldError.of(reportAs, "must be an integer");
        }
        int value = v.asInt();
        if (value < min || value > max) {
            throw FieldError.of(reportAs, "must be between " + min + " and " + max);
        }
        return value;
    }

    static boolean boolField(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw FieldError.of(field, "must be a boolean");
        }
        return v.asBoolean();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
