package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.jobs.HealthCheckJob;
import io.modelmaestro.jobs.ModelDiscoveryJob;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeModelEntity;
import io.modelmaestro.persistence.NodeModelRepository;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.pool.PoolStore;
import io.modelmaestro.routing.NodeHealth;
import io.modelmaestro.routing.Router;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The node-pool side of {@code /admin/nodes/{id}}: health (state, history, check now), discovered models (list, sync
 * now) and warmup settings. "Check now" and "sync now" run the same code as the jobs, under the same leases.
 */
@Singleton
public class PoolAdmin {

    private static final int MAX_WARMUP_MODELS = 50;

    private final NodeRepository nodes;
    private final NodeModelRepository nodeModels;
    private final CatalogService catalog;
    private final PoolStore store;
    private final NodeHealth health;
    private final Router router;
    private final HealthCheckJob healthJob;
    private final ModelDiscoveryJob discoveryJob;
    private final AuditService audit;

    public PoolAdmin(
            NodeRepository nodes,
            NodeModelRepository nodeModels,
            CatalogService catalog,
            PoolStore store,
            NodeHealth health,
            Router router,
            HealthCheckJob healthJob,
            ModelDiscoveryJob discoveryJob,
            AuditService audit) {
        this.nodes = nodes;
        this.nodeModels = nodeModels;
        this.catalog = catalog;
        this.store = store;
        this.health = health;
        this.router = router;
        this.healthJob = healthJob;
        this.discoveryJob = discoveryJob;
        this.audit = audit;
    }

    /**
     * A node's one health state. {@code status}: {@code unhealthy} (the last active check failed: out of rotation
     * until one passes), {@code cooling_down} (real traffic failed recently: tried after the other nodes until {@code
     * cooling_down_until} or a passing check), {@code healthy}, or {@code unknown} (never checked).
     */
    public record HealthView(
            long nodeId,
            String name,
            String status,
            boolean inRotation,
            @Nullable Instant lastHealthCheck,
            @Nullable Integer lastLatencyMs,
            @Nullable String lastError,
            @Nullable Instant coolingDownUntil,
            int inFlightStreams,
            List<PoolStore.Check> history) {}

    public record ModelView(
            String name,
            @Nullable Long size,
            @Nullable String family,
            @Nullable String digest,
            @Nullable Integer contextLength,
            List<String> capabilities,
            @Nullable Instant modifiedAt,
            Instant lastSeen,
            boolean isAvailable) {}

    public record WarmupView(long nodeId, boolean enabled, List<String> models) {}

    public HealthView health(long id) {
        NodeEntity n = find(id);
        String persisted = n.healthStatus();
        boolean cooling = health.isCoolingDown(id);
        String status = "unhealthy".equals(persisted) ? persisted : cooling ? "cooling_down" : persisted;
        return new HealthView(
                id,
                n.name(),
                status,
                n.isActive() && !"unhealthy".equals(persisted),
                n.lastHealthCheck(),
                n.lastLatencyMs(),
                n.lastError(),
                cooling ? health.coolingUntil(id) : null,
                router.inFlight().count(id),
                store.history(id));
    }

    /** Runs one check now; returns the check's result and the health state after it. */
    public Map<String, Object> checkNow(long id, AdminActor actor) {
        Node node = node(id);
        Object result = healthJob.runFor(node, "manual");
        audit.record("health_check_node", "node", id, actor, Map.of("result", result));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", result);
        out.put("health", health(id));
        return out;
    }

    public List<ModelView> models(long id) {
        find(id);
        List<ModelView> out = new ArrayList<>();
        for (NodeModelEntity m : nodeModels.findByNodeId(id)) {
            String[] caps = m.capabilities();
            out.add(new ModelView(
                    m.modelName(),
                    m.modelSize(),
                    m.modelFamily(),
                    m.modelDigest(),
                    m.contextLength(),
                    caps == null ? List.of() : Arrays.asList(caps),
                    m.modifiedAt(),
                    m.lastSeen(),
                    m.isAvailable()));
        }
        out.sort(Comparator.comparing(ModelView::name));
        return out;
    }

    /** Runs discovery on the node now; the catalog (and so routing and the model lists) follow at once. */
    public Object sync(long id, AdminActor actor) {
        Node node = node(id);
        Object result = discoveryJob.runFor(node);
        audit.record("sync_node_models", "node", id, actor, Map.of("result", result));
        return result;
    }

    public WarmupView warmup(long id) {
        NodeEntity n = find(id);
        return new WarmupView(id, n.warmupEnabled(), store.warmupModels(id));
    }

    /** {@code {"enabled": true, "models": ["llama3.2:3b"]}}; absent fields keep their value. */
    public WarmupView updateWarmup(long id, JsonNode body, AdminActor actor) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
        WarmupView before = warmup(id);
        boolean enabled = NodeAdmin.boolField(body, "enabled", before.enabled());
        List<String> models = body.has("models") ? models(body.get("models")) : before.models();
        store.setWarmup(id, enabled, models);
        WarmupView after = warmup(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        audit.record("update_node_warmup", "node", id, actor, details);
        catalog.refresh();
        return after;
    }

    private static List<String> models(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw FieldError.of("models", "must be an array of model names");
        }
        if (value.size() > MAX_WARMUP_MODELS) {
            throw FieldError.of("models", "at most " + MAX_WARMUP_MODELS + " models");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode m : value) {
            if (!m.isTextual() || m.asText().isBlank()) {
                throw FieldError.of("models", "every entry must be a non-empty string");
            }
            String name = m.asText().strip();
            if (name.length() > 255 || !name.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
                throw FieldError.of("models", "'" + abbreviate(name) + "' is not a model name");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    private NodeEntity find(long id) {
        return nodes.findById(id).orElseThrow(() -> new GatewayException.NotFound("Node not found: " + id));
    }

    private Node node(long id) {
        find(id);
        catalog.refresh();
        return catalog.snapshot()
                .node(id)
                .orElseThrow(() -> new GatewayException.NotFound("Node " + id + " cannot be loaded (unknown type?)"));
    }
}
