package io.modelmaestro.routing;

import static io.modelmaestro.routing.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RouterTest {

    private static final Duration COOLDOWN = Duration.ofSeconds(30);
    private static final Duration BUDGET = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration BLOCK = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock();
    private final NodeHealth health = new NodeHealth(clock, COOLDOWN);

    private Router router(int maxAttempts) {
        return new Router(NodeSelector.priority(), health, clock, maxAttempts, BUDGET, MAX_RETRY_AFTER);
    }

    private static Resolution resolution(Target... targets) {
        return new Resolution("display-model", List.of(targets), false);
    }

    /** Three healthy nodes tried in the order 1, 2, 3 by the priority selector. */
    private static Resolution threeNodes() {
        return resolution(
                node(1).priority(30).target(),
                node(2).priority(20).target(),
                node(3).priority(10).target());
    }

    // ---- scripted upstream ----

    /**
     * An attempt function whose outcome per node is scripted: the n-th call to a node gets its n-th outcome (the last
     * one repeats). A String is a success, a Throwable a failure. Every call is recorded.
     */
    private static final class Upstream implements Function<Target, Mono<String>> {
        private final Map<Long, List<Object>> script = new HashMap<>();
        private final Map<Long, Integer> callsPerNode = new HashMap<>();
        final List<Long> calls = new ArrayList<>();
        private Runnable onCall = () -> {};

        Upstream on(long nodeId, Object... outcomes) {
            script.put(nodeId, List.of(outcomes));
            return this;
        }

        Upstream onEveryCall(Runnable action) {
            onCall = action;
            return this;
        }

        @Override
        public Mono<String> apply(Target target) {
            long id = target.node().id();
            calls.add(id);
            onCall.run();
            List<Object> outcomes = script.get(id);
            if (outcomes == null) {
                return Mono.error(new AssertionError("node " + id + " was not expected to be called"));
            }
            int n = callsPerNode.merge(id, 1, Integer::sum) - 1;
            Object outcome = outcomes.get(Math.min(n, outcomes.size() - 1));
            if (outcome instanceof Throwable t) {
                return Mono.error(t);
            }
            return Mono.just((String) outcome);
        }
    }

    private static GatewayException.UpstreamError http(int status) {
        return http(status, 0);
    }

    private static GatewayException.UpstreamError http(int status, long retryAfterMillis) {
        return new GatewayException.UpstreamError(status, "n", "node n: HTTP " + status, retryAfterMillis);
    }

    private static GatewayException.UpstreamTimeout connectFailure() {
        return new GatewayException.UpstreamTimeout("n", "node n: connection refused", true, null);
    }

    private static GatewayException.UpstreamTimeout readTimeout() {
        return new GatewayException.UpstreamTimeout("n", "node n: timed out waiting for the upstream", false, null);
    }

    private static Throwable routeError(Router router, Resolution resolution, Upstream upstream) {
        return catchThrowable(() -> router.route(resolution, upstream).block(BLOCK));
    }

    // ---- success ----

    @Test
    void route_firstNodeSucceeds_usesOneAttempt() {
        Upstream upstream = new Upstream().on(1, "from 1").on(2, "from 2").on(3, "from 3");
        Routed<String> routed = router(3).route(threeNodes(), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.target().node().id()).isEqualTo(1);
        assertThat(routed.value()).isEqualTo("from 1");
        assertThat(routed.attempts()).isEqualTo(1);
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_isLazy_nothingIsCalledBeforeSubscription() {
        Upstream upstream = new Upstream().on(1, "ok");
        Mono<Routed<String>> mono = router(3).route(threeNodes(), upstream);
        assertThat(upstream.calls).isEmpty();
        StepVerifier.create(mono)
                .assertNext(r -> assertThat(r.value()).isEqualTo("ok"))
                .verifyComplete();
    }

    // ---- failover ----

    @Test
    void route_connectFailure_failsOverToTheNextNodeAndCoolsDownTheFailedOne() {
        Upstream upstream = new Upstream().on(1, connectFailure()).on(2, "from 2");
        Routed<String> routed = router(3).route(threeNodes(), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.target().node().id()).isEqualTo(2);
        assertThat(routed.value()).isEqualTo("from 2");
        assertThat(routed.attempts()).isEqualTo(2);
        assertThat(upstream.calls).containsExactly(1L, 2L);
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.isCoolingDown(2)).isFalse();
    }

    static Stream<Arguments> failoverFailures() {
        return Stream.of(
                Arguments.of("connect failure", connectFailure(), true),
                Arguments.of("read timeout", readTimeout(), true),
                Arguments.of("408", http(408), true),
                Arguments.of("429", http(429), true),
                Arguments.of("500", http(500), true),
                Arguments.of("502", http(502), true),
                Arguments.of("503", http(503), true),
                Arguments.of("504", http(504), true),
                Arguments.of("529", http(529), true),
                Arguments.of("401 (the node's credentials)", http(401), true),
                Arguments.of("403 (the node's credentials)", http(403), true),
                Arguments.of("404 (the node lacks the model)", http(404), false));
    }

    @ParameterizedTest(name = "{0} fails over, cooldown={2}")
    @MethodSource("failoverFailures")
    void route_retryableFailure_failsOverToTheNextNode(String name, GatewayException failure, boolean cooldown) {
        Upstream upstream = new Upstream().on(1, failure).on(2, "from 2");
        Routed<String> routed = router(3).route(threeNodes(), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.target().node().id()).isEqualTo(2);
        assertThat(routed.attempts()).isEqualTo(2);
        assertThat(upstream.calls).containsExactly(1L, 2L);
        assertThat(health.isCoolingDown(1)).isEqualTo(cooldown);
        assertThat(health.isCoolingDown(2)).isFalse();
    }

    static Stream<Arguments> clientErrors() {
        return Stream.of(
                Arguments.of(http(400)),
                Arguments.of(http(409)),
                Arguments.of(http(413)),
                Arguments.of(http(422)),
                Arguments.of(new GatewayException.InvalidRequest("bad", "messages")));
    }

    @ParameterizedTest
    @MethodSource("clientErrors")
    void route_clientError_doesNotFailOverAndIsReturnedAsIs(GatewayException failure) {
        Upstream upstream = new Upstream().on(1, failure).on(2, "from 2");
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(1L);
        assertThat(health.isCoolingDown(1)).isFalse();
    }

    @Test
    void route_400_isReportedWithItsOwnStatus() {
        Upstream upstream = new Upstream().on(1, http(400));
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(HttpStatusMapping.statusFor((GatewayException) error)).isEqualTo(400);
    }

    @Test
    void route_unexpectedException_becomesInternalAndIsNotRetried() {
        IllegalStateException bug = new IllegalStateException("bug");
        Upstream upstream = new Upstream().on(1, bug).on(2, "from 2");
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(error).isInstanceOf(GatewayException.Internal.class).hasCause(bug);
        assertThat(error.getMessage()).doesNotContain("bug");
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_clientErrorAfterAFailover_stopsAndReportsTheClientError() {
        GatewayException.UpstreamError first = http(503);
        GatewayException.UpstreamError second = http(400);
        Upstream upstream = new Upstream().on(1, first).on(2, second).on(3, "from 3");
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(upstream.calls).containsExactly(1L, 2L);
        assertThat(error).isInstanceOf(GatewayException.AllNodesFailed.class);
        assertThat(((GatewayException.AllNodesFailed) error).attempts()).containsExactly(first, second);
        assertThat(HttpStatusMapping.statusFor((GatewayException) error)).isEqualTo(400);
    }

    // ---- attempt bound and exhaustion ----

    static Stream<Arguments> attemptBounds() {
        return Stream.of(
                Arguments.of(0, 1), // fewer than one attempt makes no sense: at least one is made
                Arguments.of(1, 1),
                Arguments.of(2, 2),
                Arguments.of(3, 3),
                Arguments.of(5, 5),
                Arguments.of(9, 5)); // never more attempts than candidates without Retry-After
    }

    @ParameterizedTest(name = "maxAttempts={0} → {1} calls")
    @MethodSource("attemptBounds")
    void route_respectsMaxAttempts(int maxAttempts, int expectedCalls) {
        Upstream upstream = new Upstream();
        List<Target> targets = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            upstream.on(id, http(503));
            targets.add(node(id).priority((int) (100 - id)).target());
        }
        Throwable error = routeError(router(maxAttempts), resolution(targets.toArray(Target[]::new)), upstream);
        assertThat(upstream.calls)
                .containsExactlyElementsOf(List.of(1L, 2L, 3L, 4L, 5L).subList(0, expectedCalls));
        if (expectedCalls == 1) {
            assertThat(error).isInstanceOf(GatewayException.UpstreamError.class);
        } else {
            assertThat(error).isInstanceOf(GatewayException.AllNodesFailed.class);
            assertThat(((GatewayException.AllNodesFailed) error).attempts()).hasSize(expectedCalls);
        }
    }

    @Test
    void route_allNodesFail_listsEveryAttemptInOrder() {
        GatewayException f1 = http(503);
        GatewayException f2 = connectFailure();
        GatewayException f3 = http(429);
        Upstream upstream = new Upstream().on(1, f1).on(2, f2).on(3, f3);
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(error).isInstanceOf(GatewayException.AllNodesFailed.class);
        GatewayException.AllNodesFailed all = (GatewayException.AllNodesFailed) error;
        assertThat(all.attempts()).containsExactly(f1, f2, f3);
        assertThat(all.last()).isSameAs(f3);
        assertThat(all.getMessage())
                .startsWith("All 3 attempts failed for model 'display-model': ")
                .contains(f1.getMessage(), f2.getMessage(), f3.getMessage());
        assertThat(health.isCoolingDown(1)).isTrue();
        assertThat(health.isCoolingDown(2)).isTrue();
        assertThat(health.isCoolingDown(3)).isTrue();
    }

    static Stream<Arguments> exhaustedStatuses() {
        return Stream.of(
                Arguments.of("last 429 stays 429", List.of(http(503), http(429)), 429),
                Arguments.of("last connect failure is 502", List.of(http(429), connectFailure()), 502),
                Arguments.of("last read timeout is 504", List.of(connectFailure(), readTimeout()), 504),
                Arguments.of("last 503 stays 503", List.of(http(429), http(503)), 503),
                Arguments.of("last 500 is 502", List.of(http(503), http(500)), 502),
                Arguments.of("last 502 is 502", List.of(http(503), http(502)), 502),
                Arguments.of("last 404 stays 404", List.of(http(503), http(404)), 404),
                Arguments.of("last 401 (gateway credentials) is 502", List.of(http(503), http(401)), 502));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exhaustedStatuses")
    void route_allNodesFail_statusFollowsTheLastFailure(String name, List<GatewayException> failures, int status) {
        Upstream upstream = new Upstream();
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < failures.size(); i++) {
            long id = i + 1;
            upstream.on(id, failures.get(i));
            targets.add(node(id).priority(100 - i).target());
        }
        Throwable error = routeError(router(10), resolution(targets.toArray(Target[]::new)), upstream);
        assertThat(error).isInstanceOf(GatewayException.AllNodesFailed.class);
        assertThat(((GatewayException.AllNodesFailed) error).attempts()).containsExactlyElementsOf(failures);
        assertThat(HttpStatusMapping.statusFor((GatewayException) error)).isEqualTo(status);
    }

    @Test
    void route_singleCandidateFailing_returnsItsFailureAsIs() {
        GatewayException.UpstreamError failure = http(503);
        Upstream upstream = new Upstream().on(1, failure);
        Throwable error = routeError(router(3), resolution(node(1).target()), upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_budgetSpent_stopsFailingOver() {
        Upstream upstream =
                new Upstream().on(1, http(503)).on(2, "from 2").onEveryCall(() -> clock.advance(BUDGET.plusSeconds(1)));
        Throwable error = routeError(router(3), threeNodes(), upstream);
        assertThat(error).isInstanceOf(GatewayException.UpstreamError.class);
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_budgetNotYetSpent_keepsFailingOver() {
        Upstream upstream = new Upstream()
                .on(1, http(503))
                .on(2, "from 2")
                .onEveryCall(() -> clock.advance(BUDGET.minusSeconds(1)));
        Routed<String> routed = router(3).route(threeNodes(), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.target().node().id()).isEqualTo(2);
    }

    // ---- cooldown ordering ----

    @Test
    void plan_putsNodesInCooldownLast() {
        health.recordFailure(1);
        assertThat(router(3).plan(threeNodes())).extracting(t -> t.node().id()).containsExactly(2L, 3L, 1L);
    }

    @Test
    void plan_ordersCoolingNodesSoonestRecoveringFirst() {
        health.recordFailure(2);
        clock.advance(Duration.ofSeconds(10));
        health.recordFailure(1);
        assertThat(router(3).plan(threeNodes())).extracting(t -> t.node().id()).containsExactly(3L, 2L, 1L);
    }

    @Test
    void plan_expiredCooldownRestoresTheNormalOrder() {
        health.recordFailure(1);
        clock.advance(COOLDOWN);
        assertThat(router(3).plan(threeNodes())).extracting(t -> t.node().id()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void route_nodeInCooldown_isStillTriedAfterTheOthersAndClearedOnSuccess() {
        health.recordFailure(1);
        Upstream upstream = new Upstream().on(1, "from 1").on(2, http(503)).on(3, http(502));
        Routed<String> routed = router(3).route(threeNodes(), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(upstream.calls).containsExactly(2L, 3L, 1L);
        assertThat(routed.target().node().id()).isEqualTo(1);
        assertThat(routed.attempts()).isEqualTo(3);
        assertThat(health.isCoolingDown(1)).as("success clears the cooldown").isFalse();
    }

    @Test
    void route_singleNodeInCooldown_isStillTried() {
        health.recordFailure(1);
        Upstream upstream = new Upstream().on(1, "from 1");
        Routed<String> routed =
                router(3).route(resolution(node(1).target()), upstream).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.value()).isEqualTo("from 1");
        assertThat(health.isCoolingDown(1)).isFalse();
    }

    // ---- health flag ----

    @Test
    void route_unhealthyNodesAreExcluded() {
        GatewayException.UpstreamError failure = http(503);
        Upstream upstream = new Upstream().on(2, failure);
        Resolution resolution = resolution(
                node(1).priority(30).unhealthy().target(),
                node(2).priority(20).target(),
                node(3).priority(10).unhealthy().target());
        assertThat(router(3).plan(resolution)).extracting(t -> t.node().id()).containsExactly(2L);
        Throwable error = routeError(router(3), resolution, upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(2L);
    }

    @Test
    void route_noHealthyNodeLeft_failsWithNoHealthyNodeWithoutCallingAnything() {
        Upstream upstream = new Upstream();
        Resolution resolution =
                resolution(node(1).unhealthy().target(), node(2).unhealthy().target());
        Throwable error = routeError(router(3), resolution, upstream);
        assertThat(error).isInstanceOf(GatewayException.NoHealthyNode.class).hasMessageContaining("display-model");
        assertThat(HttpStatusMapping.statusFor((GatewayException) error)).isEqualTo(503);
        assertThat(upstream.calls).isEmpty();
        assertThatThrownBy(() -> router(3).plan(resolution)).isInstanceOf(GatewayException.NoHealthyNode.class);
    }

    // ---- Retry-After ----

    @Test
    void route_retryAfterWithinLimit_retriesTheSameNodeAfterTheDelay() {
        Upstream upstream = new Upstream().on(1, http(429, 2_000), "from 1");
        StepVerifier.withVirtualTime(() -> router(3).route(resolution(node(1).target()), upstream))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1_999))
                .then(() -> assertThat(upstream.calls).containsExactly(1L))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(routed -> {
                    assertThat(routed.value()).isEqualTo("from 1");
                    assertThat(routed.attempts()).isEqualTo(2);
                })
                .verifyComplete();
        assertThat(upstream.calls).containsExactly(1L, 1L);
    }

    static Stream<Arguments> retryAfterLimits() {
        return Stream.of(
                Arguments.of(1L, true),
                Arguments.of(1_000L, true),
                Arguments.of(MAX_RETRY_AFTER.toMillis(), true),
                Arguments.of(MAX_RETRY_AFTER.toMillis() + 1, false),
                Arguments.of(60_000L, false),
                Arguments.of(0L, false)); // no Retry-After at all
    }

    @ParameterizedTest(name = "Retry-After {0} ms, retried={1}")
    @MethodSource("retryAfterLimits")
    void route_retryAfter_isHonouredOnlyUpToMaxRetryAfter(long retryAfterMillis, boolean retried) {
        GatewayException.UpstreamError failure = http(429, retryAfterMillis);
        Upstream upstream = new Upstream().on(1, failure, "from 1");
        StepVerifier.FirstStep<Routed<String>> verifier =
                StepVerifier.withVirtualTime(() -> router(3).route(resolution(node(1).target()), upstream));
        if (retried) {
            verifier.thenAwait(Duration.ofMillis(retryAfterMillis))
                    .assertNext(routed -> assertThat(routed.attempts()).isEqualTo(2))
                    .verifyComplete();
            assertThat(upstream.calls).containsExactly(1L, 1L);
        } else {
            verifier.expectErrorSatisfies(e -> assertThat(e).isSameAs(failure)).verify(BLOCK);
            assertThat(upstream.calls).containsExactly(1L);
        }
    }

    @Test
    void route_retryAfterOnANonRetryableStatus_isIgnored() {
        GatewayException.UpstreamError failure = http(400, 1_000);
        Upstream upstream = new Upstream().on(1, failure, "from 1");
        Throwable error = routeError(router(3), resolution(node(1).target()), upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_retryAfterBeyondTheBudgetDeadline_isNotWaitedFor() {
        GatewayException.UpstreamError failure = http(429, 2_000);
        Upstream upstream =
                new Upstream().on(1, failure, "from 1").onEveryCall(() -> clock.advance(BUDGET.minusSeconds(1)));
        Throwable error = routeError(router(3), resolution(node(1).target()), upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(1L);
    }

    @Test
    void route_retryAfterFromTheLastOfSeveralNodes_retriesThatNodeOnceAllWereTried() {
        Upstream upstream = new Upstream().on(1, http(503)).on(2, http(429, 1_000), "from 2");
        Resolution resolution =
                resolution(node(1).priority(2).target(), node(2).priority(1).target());
        StepVerifier.withVirtualTime(() -> router(5).route(resolution, upstream))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(routed -> {
                    assertThat(routed.target().node().id()).isEqualTo(2);
                    assertThat(routed.attempts()).isEqualTo(3);
                })
                .verifyComplete();
        assertThat(upstream.calls).containsExactly(1L, 2L, 2L);
    }

    @Test
    void route_retryAfterCountsAgainstMaxAttempts() {
        Upstream upstream = new Upstream().on(1, http(429, 100));
        StepVerifier.withVirtualTime(() -> router(3).route(resolution(node(1).target()), upstream))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(GatewayException.AllNodesFailed.class);
                    assertThat(((GatewayException.AllNodesFailed) e).attempts()).hasSize(3);
                    assertThat(HttpStatusMapping.statusFor((GatewayException) e))
                            .isEqualTo(429);
                })
                .verify(BLOCK);
        assertThat(upstream.calls).containsExactly(1L, 1L, 1L);
    }

    @Test
    void route_retryAfterWithMaxAttemptsOfOne_isNotRetried() {
        GatewayException.UpstreamError failure = http(429, 100);
        Upstream upstream = new Upstream().on(1, failure, "from 1");
        Throwable error = routeError(router(1), resolution(node(1).target()), upstream);
        assertThat(error).isSameAs(failure);
        assertThat(upstream.calls).containsExactly(1L);
    }

    // ---- classify ----

    static Stream<Arguments> classifications() {
        return Stream.of(
                Arguments.of(connectFailure(), true, true),
                Arguments.of(readTimeout(), true, true),
                Arguments.of(http(400), false, false),
                Arguments.of(http(401), true, true),
                Arguments.of(http(403), true, true),
                Arguments.of(http(404), true, false),
                Arguments.of(http(408), true, true),
                Arguments.of(http(409), false, false),
                Arguments.of(http(422), false, false),
                Arguments.of(http(429), true, true),
                Arguments.of(http(500), true, true),
                Arguments.of(http(503), true, true),
                Arguments.of(new GatewayException.InvalidRequest("x"), false, false),
                Arguments.of(new GatewayException.Internal("x", null), false, false));
    }

    @ParameterizedTest
    @MethodSource("classifications")
    void classify_decidesRetryAndCooldown(GatewayException failure, boolean retryable, boolean cooldown) {
        assertThat(Router.classify(failure)).isEqualTo(new Router.Outcome(retryable, cooldown));
    }
}
