package io.modelmaestro.routing;

import io.modelmaestro.core.error.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The failover loop. An attempt is a {@code Mono} that succeeds once the upstream has produced its first piece of
 * response (for streams: the first chunk), so everything that fails before the client has seen a byte can be retried
 * on the next candidate; what fails later is the stream's own business and is never retried here.
 *
 * <p>Retried: connection failures, timeouts, 408, 429 and 5xx (the node is also cooled down), and 404 (the node lacks
 * the model; no cooldown). Not retried: other 4xx, which describe the request, not the node.
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final NodeSelector selector;
    private final NodeHealth health;
    private final InstantSource clock;
    private final int maxAttempts;
    private final Duration budget;
    private final Duration maxRetryAfter;
    private final InFlightStreams inFlight = new InFlightStreams();

    public Router(
            NodeSelector selector,
            NodeHealth health,
            InstantSource clock,
            int maxAttempts,
            Duration budget,
            Duration maxRetryAfter) {
        this.selector = selector;
        this.health = health;
        this.clock = clock;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.budget = budget;
        this.maxRetryAfter = maxRetryAfter;
    }

    public NodeHealth health() {
        return health;
    }

    /** The client streams each node is serving now (the pipeline tracks every routed stream here). */
    public InFlightStreams inFlight() {
        return inFlight;
    }

    /** The order in which this request's candidates will be tried. Nodes in cooldown go last. */
    public List<Target> plan(Resolution resolution) {
        List<Target> healthy = new ArrayList<>();
        for (Target t : resolution.candidates()) {
            if (t.node().healthy()) {
                healthy.add(t);
            }
        }
        if (healthy.isEmpty()) {
            throw new GatewayException.NoHealthyNode(
                    "No healthy node can serve model '" + resolution.displayModel() + "' right now");
        }
        List<Target> ordered = selector.order(healthy);
        List<Target> ready = new ArrayList<>(ordered.size());
        List<Target> cooling = new ArrayList<>();
        for (Target t : ordered) {
            (health.isCoolingDown(t.node().id()) ? cooling : ready).add(t);
        }
        // Example failure this prevents: a single-node setup refusing every request for the whole cooldown after one
        // blip. Cooling nodes are still tried, after the others, soonest-recovering first.
        cooling.sort(Comparator.comparing(t -> health.coolingUntil(t.node().id())));
        ready.addAll(cooling);
        return ready;
    }

    public <T> Mono<Routed<T>> route(Resolution resolution, Function<Target, Mono<T>> attempt) {
        List<Target> order;
        try {
            order = plan(resolution);
        } catch (GatewayException e) {
            return Mono.error(e);
        }
        Instant deadline = clock.instant().plus(budget);
        return attempt(resolution, order, 0, deadline, new ArrayList<>(), attempt);
    }

    private <T> Mono<Routed<T>> attempt(
            Resolution resolution,
            List<Target> order,
            int index,
            Instant deadline,
            List<GatewayException> failures,
            Function<Target, Mono<T>> attempt) {
        Target target = index < order.size() ? order.get(index) : order.get(order.size() - 1);
        int attemptNo = index + 1;
        return Mono.defer(() -> attempt.apply(target))
                .map(value -> {
                    health.recordSuccess(target.node().id());
                    return new Routed<>(target, value, attemptNo);
                })
                .onErrorResume(error -> {
                    GatewayException failure = asGatewayException(error);
                    failures.add(failure);
                    Outcome outcome = classify(failure);
                    if (outcome.cooldown()) {
                        health.recordFailure(target.node().id());
                    }
                    boolean withinBudget = clock.instant().isBefore(deadline);
                    boolean moreAttempts = attemptNo < maxAttempts && withinBudget;
                    if (outcome.retryable() && moreAttempts && attemptNo < order.size()) {
                        LOG.info(
                                "node {} failed for model {} ({}); trying the next node",
                                target.node().name(),
                                resolution.displayModel(),
                                failure.getMessage());
                        return attempt(resolution, order, attemptNo, deadline, failures, attempt);
                    }
                    long retryAfter = failure instanceof GatewayException.UpstreamError ue ? ue.retryAfterMillis() : 0;
                    if (outcome.retryable()
                            && moreAttempts
                            && retryAfter > 0
                            && retryAfter <= maxRetryAfter.toMillis()
                            && clock.instant().plusMillis(retryAfter).isBefore(deadline)) {
                        // Every node was tried; the last one said when to come back, and that is soon enough.
                        return Mono.delay(Duration.ofMillis(retryAfter))
                                .then(attempt(resolution, order, attemptNo, deadline, failures, attempt));
                    }
                    return Mono.error(exhausted(resolution, failures));
                });
    }

    private static GatewayException exhausted(Resolution resolution, List<GatewayException> failures) {
        if (failures.size() == 1) {
            return failures.get(0);
        }
        StringBuilder message = new StringBuilder("All ")
                .append(failures.size())
                .append(" attempts failed for model '")
                .append(resolution.displayModel())
                .append("': ");
        for (int i = 0; i < failures.size(); i++) {
            if (i > 0) {
                message.append("; ");
            }
            message.append(failures.get(i).getMessage());
        }
        return new GatewayException.AllNodesFailed(message.toString(), failures);
    }

    private static GatewayException asGatewayException(Throwable error) {
        if (error instanceof GatewayException ge) {
            return ge;
        }
        LOG.error("unexpected error in an upstream attempt", error);
        return new GatewayException.Internal("Internal error while calling the upstream", error);
    }

    record Outcome(boolean retryable, boolean cooldown) {}

    static Outcome classify(GatewayException failure) {
        if (failure instanceof GatewayException.UpstreamTimeout) {
            return new Outcome(true, true);
        }
        if (failure instanceof GatewayException.UpstreamError ue) {
            int s = ue.status();
            if (s == 404) {
                return new Outcome(true, false);
            }
            if (s == 408 || s == 429 || s >= 500) {
                return new Outcome(true, true);
            }
            if (s == 401 || s == 403) {
                // The node's own credentials are wrong: another node may still serve the request.
                return new Outcome(true, true);
            }
            return new Outcome(false, false);
        }
        return new Outcome(false, false);
    }
}
