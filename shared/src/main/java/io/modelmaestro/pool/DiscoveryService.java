package io.modelmaestro.pool;

import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * Asks one node what it serves and makes {@code node_models} match, then reloads the catalog: from then on the node
 * is a candidate only for the models it has, and {@code /v1/models} and {@code /api/tags} list what it has. A node
 * that cannot be asked keeps its last known models.
 */
@Singleton
public class DiscoveryService {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryService.class);

    private final NodeSupport support;
    private final PoolStore store;
    private final CatalogService catalog;
    private final InstantSource clock;
    private final Duration timeout;

    public DiscoveryService(
            NodeSupport support,
            PoolStore store,
            CatalogService catalog,
            InstantSource clock,
            @Value("${maestro.discovery.timeout:30s}") Duration timeout) {
        this.support = support;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** {@code outcome}: {@code synced}, {@code failed} or {@code unsupported}. */
    public record Result(
            long nodeId,
            String node,
            String outcome,
            List<String> added,
            List<String> removed,
            int total,
            @Nullable String error) {}

    public Duration timeout() {
        return timeout;
    }

    public Result sync(Node node) {
        Optional<NodeModelSource> source = support.modelSource(node.type());
        if (source.isEmpty()) {
            return new Result(
                    node.id(),
                    node.name(),
                    "unsupported",
                    List.of(),
                    List.of(),
                    0,
                    "no model discovery for node type " + node.type().wireName());
        }
        List<DiscoveredModel> models;
        try {
            models = source.get().models(node).timeout(timeout).block(timeout.plusSeconds(1));
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            String error = cause instanceof TimeoutException
                    ? "no answer within " + timeout.toMillis() + " ms"
                    : cause instanceof GatewayException ge
                            ? ge.getMessage()
                            : cause.getClass().getSimpleName();
            LOG.info("model discovery on node {} failed: {}", node.name(), error);
            return new Result(node.id(), node.name(), "failed", List.of(), List.of(), 0, error);
        }
        PoolStore.SyncDiff diff = store.replaceModels(node.id(), models == null ? List.of() : models, clock.instant());
        if (!diff.added().isEmpty() || !diff.removed().isEmpty()) {
            LOG.info("node {}: models added {}, removed {}", node.name(), diff.added(), diff.removed());
        }
        catalog.refresh();
        return new Result(node.id(), node.name(), "synced", diff.added(), diff.removed(), diff.total(), null);
    }
}
