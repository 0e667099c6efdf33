package io.modelmaestro.pool;

import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.routing.NodeHealth;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * Runs one active health check on one node and feeds the result into the node's one health state: the persisted
 * status (which the catalog turns into "in rotation or not", for every instance) and the passive cooldown of {@link
 * NodeHealth} (a passing check ends a cooldown at once; a failing one starts one). When the status changes the catalog
 * is reloaded, so routing follows immediately in this process.
 */
@Singleton
public class HealthService {

    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);
    private static final int MAX_ERROR = 500;

    private final NodeSupport support;
    private final PoolStore store;
    private final NodeHealth health;
    private final CatalogService catalog;
    private final InstantSource clock;
    private final Duration timeout;

    public HealthService(
            NodeSupport support,
            PoolStore store,
            NodeHealth health,
            CatalogService catalog,
            InstantSource clock,
            @Value("${maestro.health.timeout:3s}") Duration timeout) {
        this.support = support;
        this.store = store;
        this.health = health;
        this.catalog = catalog;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The outcome of one check: {@code healthy}, {@code unhealthy}, {@code unsupported} (no check for the type). */
    public record Result(
            long nodeId,
            String node,
            String outcome,
            @Nullable Integer latencyMs,
            @Nullable String error) {}

    public Duration timeout() {
        return timeout;
    }

    public Result check(Node node, String trigger) {
        Optional<NodeProbe> probe = support.probe(node.type());
        if (probe.isEmpty()) {
            return new Result(
                    node.id(),
                    node.name(),
                    "unsupported",
                    null,
                    "no health check for node type " + node.type().wireName());
        }
        long start = System.nanoTime();
        String error = null;
        try {
            probe.get().probe(node).timeout(timeout).block(timeout.plusSeconds(1));
        } catch (RuntimeException e) {
            error = describe(e);
        }
        int latency = (int) Math.min(
                Integer.MAX_VALUE, Duration.ofNanos(System.nanoTime() - start).toMillis());
        boolean ok = error == null;
        String before = store.recordCheck(node.id(), new PoolStore.Check(clock.instant(), ok, latency, error, trigger));
        if (before == null) {
            return new Result(node.id(), node.name(), "gone", null, "the node was deleted during the check");
        }
        if (ok) {
            health.recordSuccess(node.id());
        } else {
            health.recordFailure(node.id());
        }
        String after = ok ? "healthy" : "unhealthy";
        if (!after.equals(before)) {
            LOG.info("node {} is now {} (was {}){}", node.name(), after, before, error == null ? "" : ": " + error);
            catalog.refresh();
        }
        return new Result(node.id(), node.name(), after, latency, error);
    }

    /** A short, secret-free reason: gateway errors carry client-safe messages; anything else only its kind. */
    private String describe(Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        String message;
        if (cause instanceof TimeoutException) {
            message = "no answer within " + timeout.toMillis() + " ms";
        } else if (cause instanceof GatewayException ge) {
            message = ge.getMessage();
        } else if (cause instanceof IllegalStateException
                && cause.getMessage() != null
                && cause.getMessage().startsWith("Timeout on blocking read")) {
            message = "no answer within " + timeout.toMillis() + " ms";
        } else {
            message = cause.getClass().getSimpleName();
        }
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    }
}
