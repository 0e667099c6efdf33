package io.modelmaestro.pool;

import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.routing.Router;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * Loads a node's configured warmup models, one after the other, but only those discovery has seen on the node (a
 * node is never asked for a model it lacks) and never while the node is serving a client stream (a load would compete
 * with it; the model in use is warm anyway).
 */
@Singleton
public class WarmupService {

    private final NodeSupport support;
    private final Router router;
    private final Duration timeout;

    public WarmupService(
            NodeSupport support, Router router, @Value("${maestro.warmup.timeout:120s}") Duration timeout) {
        this.support = support;
        this.router = router;
        this.timeout = timeout;
    }

    /**
     * {@code outcome}: {@code warmed} (every model present was loaded), {@code partial} (some failed), {@code
     * skipped} ({@code reason} says why) or {@code failed}.
     */
    public record Result(
            long nodeId,
            String node,
            String outcome,
            List<String> warmed,
            List<String> notOnNode,
            List<String> failed,
            @Nullable String reason) {}

    public Duration timeout() {
        return timeout;
    }

    public boolean busy(long nodeId) {
        return router.inFlight().count(nodeId) > 0;
    }

    public Result warm(Node node, List<String> configured) {
        if (configured.isEmpty()) {
            return skipped(node, List.of(), "no warmup models configured");
        }
        Optional<NodeWarmer> warmer = support.warmer(node.type());
        if (warmer.isEmpty()) {
            return skipped(
                    node, List.of(), "no warmup for node type " + node.type().wireName());
        }
        Set<String> known = node.knownModels();
        if (known == null) {
            return skipped(node, List.of(), "the node's models were never discovered");
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String model : configured) {
            String name = onNode(known, model);
            if (name == null) {
                missing.add(model);
            } else if (!present.contains(name)) {
                present.add(name);
            }
        }
        List<String> warmed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String model : present) {
            if (busy(node.id())) {
                return new Result(
                        node.id(),
                        node.name(),
                        warmed.isEmpty() ? "skipped" : "partial",
                        warmed,
                        missing,
                        failed,
                        "the node is serving a stream");
            }
            try {
                warmer.get().warm(node, model).timeout(timeout).block(timeout.plusSeconds(1));
                warmed.add(model);
            } catch (RuntimeException e) {
                Throwable cause = Exceptions.unwrap(e);
                failed.add(model + ": "
                        + (cause instanceof GatewayException ge
                                ? ge.getMessage()
                                : cause.getClass().getSimpleName()));
            }
        }
        String outcome;
        if (present.isEmpty()) {
            outcome = "skipped";
        } else if (failed.isEmpty()) {
            outcome = "warmed";
        } else {
            outcome = warmed.isEmpty() ? "failed" : "partial";
        }
        return new Result(
                node.id(),
                node.name(),
                outcome,
                warmed,
                missing,
                failed,
                present.isEmpty() ? "none of the configured models is on the node" : null);
    }

    private static Result skipped(Node node, List<String> missing, String reason) {
        return new Result(node.id(), node.name(), "skipped", List.of(), missing, List.of(), reason);
    }

    /** The node's own name for {@code model}: exact, or with/without Ollama's implied {@code :latest}. */
    static @Nullable String onNode(Set<String> known, String model) {
        if (known.contains(model)) {
            return model;
        }
        if (!model.contains(":") && known.contains(model + ":latest")) {
            return model + ":latest";
        }
        if (model.endsWith(":latest")) {
            String bare = model.substring(0, model.length() - ":latest".length());
            if (known.contains(bare)) {
                return bare;
            }
        }
        return null;
    }
}
