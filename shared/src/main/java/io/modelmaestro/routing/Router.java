package io.modelmaestro.routing;

import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.core.error.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 *
 * <p>Model groups (docs/model-groups.md): the plan is member by member. Within a member, nodes fail over as above
 * (at most {@code maxAttempts} nodes per member); when a member is exhausted the next member in the plan is tried,
 * up to the group's member limit. A request too large for a member's context (upstream 413, or a 400/422 whose
 * message says the context length was exceeded) skips the rest of that member and goes to the next member whose
 * context is larger (or unknown). The time budget bounds the whole request.
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final NodeSelector selector;
    private final NodeHealth health;
    private final InstantSource clock;
    private final int maxAttempts;
    private final Duration budget;
    private final Duration maxRetryAfter;
    private final GroupResolver groups;
    private final InFlightStreams inFlight = new InFlightStreams();

    public Router(
            NodeSelector selector,
            NodeHealth health,
            InstantSource clock,
            int maxAttempts,
            Duration budget,
            Duration maxRetryAfter) {
        this(selector, health, clock, maxAttempts, budget, maxRetryAfter, new GroupResolver(new SplittableRandom()));
    }

    public Router(
            NodeSelector selector,
            NodeHealth health,
            InstantSource clock,
            int maxAttempts,
            Duration budget,
            Duration maxRetryAfter,
            GroupResolver groups) {
        this.groups = groups;
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

    /**
     * Resolves a client's model name, model groups included ({@link GroupResolver}); what the request needs decides
     * which group members qualify.
     */
    public Resolution resolve(String requested, CatalogSnapshot catalog, RequestNeeds needs) {
        return groups.resolve(requested, catalog, needs);
    }

    /**
     * The order in which this request's candidates will be tried. Nodes in cooldown go last; for a group, within
     * each member.
     */
    public List<Target> plan(Resolution resolution) {
        if (resolution.group() != null) {
            return planGroup(resolution);
        }
        return orderNodes(resolution.candidates(), resolution.displayModel());
    }

    private List<Target> planGroup(Resolution resolution) {
        List<Target> out = new ArrayList<>();
        List<Target> member = new ArrayList<>();
        int rank = -1;
        for (Target t : resolution.candidates()) {
            int r = t.member() == null ? -1 : t.member().rank();
            if (r != rank && !member.isEmpty()) {
                out.addAll(orderHealthy(member));
                member.clear();
            }
            rank = r;
            member.add(t);
        }
        out.addAll(orderHealthy(member));
        if (out.isEmpty()) {
            throw new GatewayException.NoHealthyNode(
                    "No healthy node can serve model group '" + resolution.displayModel() + "' right now");
        }
        return out;
    }

    private List<Target> orderHealthy(List<Target> candidates) {
        List<Target> healthy = new ArrayList<>();
        for (Target t : candidates) {
            if (t.node().healthy()) {
                healthy.add(t);
            }
        }
        return healthy.isEmpty() ? healthy : orderWithCooldown(healthy);
    }

    private List<Target> orderNodes(List<Target> candidates, String displayModel) {
        List<Target> healthy = new ArrayList<>();
        for (Target t : candidates) {
            if (t.node().healthy()) {
                healthy.add(t);
            }
        }
        if (healthy.isEmpty()) {
            throw new GatewayException.NoHealthyNode(
                    "No healthy node can serve model '" + displayModel + "' right now");
        }
        return orderWithCooldown(healthy);
    }

    private List<Target> orderWithCooldown(List<Target> healthy) {
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
        GroupRoute group = resolution.group();
        if (group != null) {
            return attemptMember(resolution, group, order, 0, 1, 1, 1, deadline, new ArrayList<>(), attempt);
        }
        return attempt(resolution, order, 0, deadline, new ArrayList<>(), attempt);
    }

    /**
     * One attempt of a group request. {@code membersTried} counts the members tried so far, this one included;
     * {@code onMember} the attempts on this member, this one included.
     */
    private <T> Mono<Routed<T>> attemptMember(
            Resolution resolution,
            GroupRoute group,
            List<Target> order,
            int index,
            int attemptNo,
            int membersTried,
            int onMember,
            Instant deadline,
            List<GatewayException> failures,
            Function<Target, Mono<T>> attempt) {
        Target target = order.get(index);
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
                    int next = -1;
                    if (contextTooSmall(failure)) {
                        next = nextLargerMember(order, index);
                    } else if (outcome.retryable()) {
                        next = index + 1 < order.size()
                                        && sameMember(order.get(index + 1), target)
                                        && onMember < maxAttempts
                                ? index + 1
                                : nextMember(order, index);
                    }
                    if (next >= 0 && clock.instant().isBefore(deadline)) {
                        boolean newMember = !sameMember(order.get(next), target);
                        int tried = newMember ? membersTried + 1 : membersTried;
                        if (tried <= group.memberLimit()) {
                            LOG.info(
                                    "group {}: {} on node {} failed ({}); trying {} on node {}",
                                    group.name(),
                                    target.upstreamModel(),
                                    target.node().name(),
                                    failure.getMessage(),
                                    order.get(next).upstreamModel(),
                                    order.get(next).node().name());
                            return attemptMember(
                                    resolution,
                                    group,
                                    order,
                                    next,
                                    attemptNo + 1,
                                    tried,
                                    newMember ? 1 : onMember + 1,
                                    deadline,
                                    failures,
                                    attempt);
                        }
                    }
                    return Mono.error(exhausted(resolution, failures));
                });
    }

    private static boolean sameMember(Target a, Target b) {
        GroupMember ma = a.member();
        GroupMember mb = b.member();
        return ma != null && mb != null && ma.rank() == mb.rank();
    }

    /** The first target of the member after the one at {@code index}; -1 when there is none. */
    private static int nextMember(List<Target> order, int index) {
        for (int i = index + 1; i < order.size(); i++) {
            if (!sameMember(order.get(i), order.get(index))) {
                return i;
            }
        }
        return -1;
    }

    /** The first target, after {@code index}, of a member whose context is larger than this one's (or unknown). */
    private static int nextLargerMember(List<Target> order, int index) {
        GroupMember failed = order.get(index).member();
        Integer failedContext = failed == null ? null : failed.contextLength();
        for (int i = index + 1; i < order.size(); i++) {
            Target t = order.get(i);
            GroupMember m = t.member();
            if (sameMember(t, order.get(index)) || m == null) {
                continue;
            }
            Integer ctx = m.contextLength();
            if (failedContext == null || ctx == null || ctx > failedContext) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The upstream refused the request as too large for the model: 413, or a 400/422 whose message says so (vLLM and
     * OpenAI: "maximum context length", {@code context_length_exceeded}; Anthropic: "prompt is too long").
     */
    static boolean contextTooSmall(GatewayException failure) {
        if (!(failure instanceof GatewayException.UpstreamError ue)) {
            return false;
        }
        if (ue.status() == 413) {
            return true;
        }
        if (ue.status() != 400 && ue.status() != 422) {
            return false;
        }
        String m = ue.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("context length")
                || m.contains("context_length")
                || m.contains("context window")
                || m.contains("prompt is too long")
                || m.contains("too many tokens")
                || m.contains("exceeds the context");
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
