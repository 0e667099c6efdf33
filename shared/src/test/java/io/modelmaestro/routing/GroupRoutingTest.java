package io.modelmaestro.routing;

import static io.modelmaestro.routing.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelGroup;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeModelInfo;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.core.error.GatewayException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Model groups in the routing core: resolution (strategies, filters, context fit) and the member failover loop. */
class GroupRoutingTest {

    private static final Duration BLOCK = Duration.ofSeconds(5);

    /** Randomness whose bounded draws are scripted: each {@code nextLong(bound)} returns the next value. */
    static final class ScriptedRandom implements RandomGenerator {
        private final Deque<Long> values = new ArrayDeque<>();
        final List<Long> bounds = new ArrayList<>();

        ScriptedRandom(long... draws) {
            for (long d : draws) {
                values.add(d);
            }
        }

        @Override
        public long nextLong() {
            throw new AssertionError("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
            bounds.add(bound);
            long v = values.removeFirst();
            assertThat(v).isBetween(0L, bound - 1);
            return v;
        }
    }

    private final MutableClock clock = new MutableClock();

    // nodes 1..4, each serving whatever it is asked (never discovered)
    private final Node n1 = node(1).build();
    private final Node n2 = node(2).build();
    private final Node n3 = node(3).build();
    private final Node n4 = node(4).build();

    private static ModelMapping mapping(long id, String display, String real, @Nullable Integer ctx, String... caps) {
        return new ModelMapping(id, display, real, Set.of(), ctx, List.of(caps));
    }

    private static ModelMapping mappingOn(long id, String display, String real, long nodeId, @Nullable Integer ctx) {
        return new ModelMapping(id, display, real, Set.of(nodeId), ctx, List.of());
    }

    private static ModelGroup.Member member(long id, String model, int priority) {
        return new ModelGroup.Member(id, model, null, priority, 1, true);
    }

    private static ModelGroup group(
            ModelGroup.Strategy strategy, @Nullable Integer limit, ModelGroup.Member... members) {
        return new ModelGroup(7, "coding", "code models", strategy, true, true, limit, List.of(members));
    }

    private static CatalogSnapshot catalog(
            List<Node> nodes, List<ModelMapping> mappings, ModelGroup group, Map<Long, List<NodeModelInfo>> info) {
        return new CatalogSnapshot(nodes, mappings, List.of(), List.of(group), info);
    }

    /** Three members, each pinned by a node-scoped mapping to its own node: a→1, b→2, c→3. */
    private CatalogSnapshot threeMembers(ModelGroup.Strategy strategy, @Nullable Integer limit) {
        return catalog(
                List.of(n1, n2, n3),
                List.of(
                        mappingOn(1, "a", "real-a", 1, null),
                        mappingOn(2, "b", "real-b", 2, null),
                        mappingOn(3, "c", "real-c", 3, null)),
                group(strategy, limit, member(11, "b", 2), member(10, "a", 1), member(12, "c", 3)),
                Map.of());
    }

    private static List<String> memberOrder(Resolution r) {
        List<String> out = new ArrayList<>();
        for (Target t : r.candidates()) {
            GroupMember m = t.member();
            assertThat(m).isNotNull();
            if (!out.contains(m.model())) {
                out.add(m.model());
            }
        }
        return out;
    }

    // ---- strategies ----

    @Test
    void priority_strategy_tries_the_lowest_priority_number_first_then_the_rest_in_order() {
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        CatalogSnapshot cat = threeMembers(ModelGroup.Strategy.PRIORITY, null);
        for (int i = 0; i < 3; i++) {
            Resolution r = resolver.resolve("coding", cat, RequestNeeds.NONE);
            assertThat(memberOrder(r)).containsExactly("a", "b", "c");
            assertThat(r.group()).isEqualTo(new GroupRoute("coding", 3));
            assertThat(r.displayModel()).isEqualTo("coding");
        }
    }

    @Test
    void round_robin_takes_turns_and_fails_over_in_priority_order() {
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        CatalogSnapshot cat = threeMembers(ModelGroup.Strategy.ROUND_ROBIN, null);
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            orders.add(memberOrder(resolver.resolve("coding", cat, RequestNeeds.NONE)));
        }
        assertThat(orders)
                .containsExactly(
                        List.of("a", "b", "c"), List.of("b", "a", "c"), List.of("c", "a", "b"), List.of("a", "b", "c"));
    }

    @Test
    void weighted_draws_the_first_member_by_weight_from_the_injected_randomness() {
        // weights: a=1, b=0 (never first), c=3 → cumulative [0,1) a, [1,4) c
        ModelGroup g = group(
                ModelGroup.Strategy.WEIGHTED,
                null,
                new ModelGroup.Member(10, "a", null, 1, 1, true),
                new ModelGroup.Member(11, "b", null, 2, 0, true),
                new ModelGroup.Member(12, "c", null, 3, 3, true));
        CatalogSnapshot cat = catalog(
                List.of(n1, n2, n3),
                List.of(
                        mappingOn(1, "a", "real-a", 1, null),
                        mappingOn(2, "b", "real-b", 2, null),
                        mappingOn(3, "c", "real-c", 3, null)),
                g,
                Map.of());
        ScriptedRandom random = new ScriptedRandom(0, 1, 3);
        GroupResolver resolver = new GroupResolver(random);
        assertThat(memberOrder(resolver.resolve("coding", cat, RequestNeeds.NONE)))
                .containsExactly("a", "b", "c");
        assertThat(memberOrder(resolver.resolve("coding", cat, RequestNeeds.NONE)))
                .containsExactly("c", "a", "b");
        assertThat(memberOrder(resolver.resolve("coding", cat, RequestNeeds.NONE)))
                .containsExactly("c", "a", "b");
        assertThat(random.bounds).containsExactly(4L, 4L, 4L);
    }

    // ---- capability filter ----

    @Test
    void images_need_vision_tools_need_tools_and_unknown_capabilities_count_as_capable() {
        // a: mapping says completion only (known without vision and tools); b: node_models says vision only;
        // c: nothing known.
        CatalogSnapshot cat = catalog(
                List.of(n1, n2, n3),
                List.of(mappingOn(1, "a", "real-a", 1, null)),
                group(
                        ModelGroup.Strategy.PRIORITY,
                        null,
                        new ModelGroup.Member(10, "a", null, 1, 1, true),
                        new ModelGroup.Member(11, "real-b", 2L, 2, 1, true),
                        new ModelGroup.Member(12, "real-c", 3L, 3, 1, true)),
                Map.of(2L, List.of(new NodeModelInfo("real-b", null, List.of("completion", "vision"), null))));
        CatalogSnapshot withCaps = new CatalogSnapshot(
                cat.nodes(),
                List.of(mapping(1, "a", "real-a", null, "completion")),
                List.of(),
                cat.groups(),
                Map.of(2L, List.of(new NodeModelInfo("real-b", null, List.of("completion", "vision"), null))));
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        assertThat(memberOrder(resolver.resolve("coding", withCaps, RequestNeeds.NONE)))
                .containsExactly("a", "real-b", "real-c");
        assertThat(memberOrder(resolver.resolve("coding", withCaps, new RequestNeeds(true, false, 0))))
                .containsExactly("real-b", "real-c");
        assertThat(memberOrder(resolver.resolve("coding", withCaps, new RequestNeeds(false, true, 0))))
                .containsExactly("real-c");
        assertThat(memberOrder(resolver.resolve("coding", withCaps, new RequestNeeds(true, true, 0))))
                .containsExactly("real-c");
    }

    @Test
    void a_group_without_a_capable_member_is_a_400_that_names_what_is_missing() {
        CatalogSnapshot cat = catalog(
                List.of(n1),
                List.of(mapping(1, "a", "real-a", null, "completion", "tools")),
                group(ModelGroup.Strategy.PRIORITY, null, member(10, "a", 1)),
                Map.of());
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        assertThatThrownBy(() -> resolver.resolve("coding", cat, new RequestNeeds(true, false, 0)))
                .isInstanceOfSatisfying(GatewayException.InvalidRequest.class, e -> {
                    assertThat(e.param()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("coding").contains("vision");
                });
        assertThat(memberOrder(resolver.resolve("coding", cat, new RequestNeeds(false, true, 0))))
                .containsExactly("a");
    }

    // ---- context fit ----

    @Test
    void members_too_small_for_the_prompt_go_last_largest_first() {
        CatalogSnapshot cat = catalog(
                List.of(n1, n2, n3, n4),
                List.of(
                        mappingOn(1, "small", "real-small", 1, 4096),
                        mappingOn(2, "medium", "real-medium", 2, 8192),
                        mappingOn(3, "large", "real-large", 3, 131072),
                        mappingOn(4, "unknown", "real-unknown", 4, null)),
                group(
                        ModelGroup.Strategy.PRIORITY,
                        null,
                        member(10, "small", 1),
                        member(11, "medium", 2),
                        member(12, "large", 3),
                        member(13, "unknown", 4)),
                Map.of());
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        assertThat(memberOrder(resolver.resolve("coding", cat, RequestNeeds.ofSize(1000))))
                .containsExactly("small", "medium", "large", "unknown");
        assertThat(memberOrder(resolver.resolve("coding", cat, RequestNeeds.ofSize(20000))))
                .containsExactly("large", "unknown", "medium", "small");
    }

    // ---- lookups ----

    @Test
    void a_disabled_group_is_not_a_group_and_latest_is_tolerated() {
        ModelGroup disabled = new ModelGroup(
                7, "coding", null, ModelGroup.Strategy.PRIORITY, false, true, null, List.of(member(1, "a", 1)));
        CatalogSnapshot cat = new CatalogSnapshot(
                List.of(n1), List.of(mappingOn(1, "a", "real-a", 1, null)), List.of(), List.of(disabled), Map.of());
        GroupResolver resolver = new GroupResolver(new ScriptedRandom());
        Resolution r = resolver.resolve("coding", cat, RequestNeeds.NONE);
        assertThat(r.group()).isNull();
        assertThat(r.candidates()).extracting(Target::upstreamModel).containsExactly("coding");

        CatalogSnapshot enabled = threeMembers(ModelGroup.Strategy.PRIORITY, null);
        Resolution latest = resolver.resolve("coding:latest", enabled, RequestNeeds.NONE);
        assertThat(latest.group()).isNotNull();
        assertThat(latest.displayModel()).isEqualTo("coding:latest");
    }

    @Test
    void a_member_pinned_to_a_node_resolves_only_there_with_the_mapping_applied() {
        CatalogSnapshot cat = catalog(
                List.of(n1, n2),
                List.of(mapping(1, "a", "real-a", null)),
                group(ModelGroup.Strategy.PRIORITY, null, new ModelGroup.Member(10, "a", 2L, 1, 1, true)),
                Map.of());
        Resolution r = new GroupResolver(new ScriptedRandom()).resolve("coding", cat, RequestNeeds.NONE);
        assertThat(r.candidates()).hasSize(1);
        assertThat(r.candidates().get(0).node().id()).isEqualTo(2);
        assertThat(r.candidates().get(0).upstreamModel()).isEqualTo("real-a");
    }

    // ---- the failover loop ----

    /** Scripted upstream keyed by node id: a String succeeds, a Throwable fails. */
    private static final class Upstream implements Function<Target, Mono<String>> {
        final Map<Long, Object> outcome = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        Upstream on(long node, Object o) {
            outcome.put(node, o);
            return this;
        }

        @Override
        public Mono<String> apply(Target t) {
            calls.add(t.upstreamModel() + "@" + t.node().id());
            Object o = outcome.get(t.node().id());
            if (o instanceof Throwable e) {
                return Mono.error(e);
            }
            return Mono.just(String.valueOf(o));
        }
    }

    private Router router(int maxAttempts) {
        return new Router(
                NodeSelector.priority(),
                new NodeHealth(clock, Duration.ofSeconds(30)),
                clock,
                maxAttempts,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                new GroupResolver(new ScriptedRandom()));
    }

    private static GatewayException.UpstreamError http(int status, String detail) {
        return new GatewayException.UpstreamError(status, "n", "node n: HTTP " + status + " (" + detail + ")", 0);
    }

    @Test
    void a_member_failing_before_the_first_byte_hands_over_to_the_next_member() {
        Router router = router(3);
        Resolution r = router.resolve("coding", threeMembers(ModelGroup.Strategy.PRIORITY, null), RequestNeeds.NONE);
        Upstream up = new Upstream().on(1, http(500, "boom")).on(2, "from b").on(3, "from c");
        Routed<String> routed = router.route(r, up).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.value()).isEqualTo("from b");
        assertThat(routed.attempts()).isEqualTo(2);
        assertThat(routed.target().member()).isNotNull();
        assertThat(routed.target().member().model()).isEqualTo("b");
        assertThat(up.calls).containsExactly("real-a@1", "real-b@2");
    }

    @Test
    void the_failover_limit_caps_the_members_tried() {
        Router router = router(3);
        Resolution r = router.resolve("coding", threeMembers(ModelGroup.Strategy.PRIORITY, 2), RequestNeeds.NONE);
        Upstream up = new Upstream()
                .on(1, http(503, "down"))
                .on(2, new GatewayException.UpstreamTimeout("n", "node n: connection refused", true, null))
                .on(3, "from c");
        Throwable error = catchThrowable(() -> router.route(r, up).block(BLOCK));
        assertThat(error).isInstanceOf(GatewayException.AllNodesFailed.class);
        assertThat(up.calls).containsExactly("real-a@1", "real-b@2");
    }

    @Test
    void nodes_of_one_member_fail_over_among_themselves_before_the_next_member() {
        // member a is served by nodes 1 and 2 (global mapping); member b by node 3.
        Node high = node(1).priority(10).build();
        Node low = node(2).priority(5).build();
        CatalogSnapshot cat = catalog(
                List.of(high, low, n3),
                List.of(mapping(1, "a", "real-a", null), mappingOn(2, "b", "real-b", 3, null)),
                group(ModelGroup.Strategy.PRIORITY, 1, member(10, "a", 1), member(11, "b", 2)),
                Map.of());
        Router router = router(3);
        Resolution r = router.resolve("coding", cat, RequestNeeds.NONE);
        // b is nowhere but node 3, a everywhere: the plan is a@1, a@2, a@3, b@3
        Upstream up = new Upstream().on(1, http(500, "x")).on(2, "a on 2").on(3, "on 3");
        Routed<String> routed = router.route(r, up).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.value()).isEqualTo("a on 2");
        assertThat(up.calls).containsExactly("real-a@1", "real-a@2");
    }

    @Test
    void too_large_for_the_context_skips_to_a_member_with_a_larger_context() {
        CatalogSnapshot cat = catalog(
                List.of(n1, n2, n3, n4),
                List.of(
                        mapping(1, "small", "real-small", 8192),
                        mappingOn(2, "smaller", "real-smaller", 3, 4096),
                        mappingOn(3, "large", "real-large", 4, 131072)),
                group(
                        ModelGroup.Strategy.PRIORITY,
                        null,
                        member(10, "small", 1),
                        member(11, "smaller", 2),
                        member(12, "large", 3)),
                Map.of());
        Router router = router(3);
        Resolution r = router.resolve("coding", cat, RequestNeeds.NONE);
        // small is on every node (1..4) but refuses with 413: neither its other nodes nor 'smaller' are tried.
        Upstream up = new Upstream()
                .on(1, http(413, "payload too large"))
                .on(2, http(413, "payload too large"))
                .on(3, http(413, "payload too large"))
                .on(4, "large answered");
        // 'small' is global, so it is also on node 4: make it refuse there too by recognising the model name.
        Function<Target, Mono<String>> attempt = t -> t.upstreamModel().equals("real-small")
                ? up.apply(t).then(Mono.error(http(413, "payload too large")))
                : up.apply(t);
        Routed<String> routed = router.route(r, attempt).block(BLOCK);
        assertThat(routed).isNotNull();
        assertThat(routed.value()).isEqualTo("large answered");
        assertThat(up.calls).containsExactly("real-small@1", "real-large@4");
    }

    @Test
    void a_context_length_error_in_a_400_counts_as_too_large_other_400s_do_not_fail_over() {
        assertThat(Router.contextTooSmall(http(
                        400, "This model's maximum context length is 4096 tokens. However, you requested 9000 tokens")))
                .isTrue();
        assertThat(Router.contextTooSmall(http(400, "prompt is too long: 250000 tokens > 200000 maximum")))
                .isTrue();
        assertThat(Router.contextTooSmall(http(400, "'temperature' must be a number")))
                .isFalse();

        Router router = router(3);
        Resolution r = router.resolve("coding", threeMembers(ModelGroup.Strategy.PRIORITY, null), RequestNeeds.NONE);
        Upstream up = new Upstream()
                .on(1, http(400, "'temperature' must be a number"))
                .on(2, "b");
        Throwable error = catchThrowable(() -> router.route(r, up).block(BLOCK));
        assertThat(error).isInstanceOf(GatewayException.UpstreamError.class);
        assertThat(up.calls).containsExactly("real-a@1");
    }

    // ---- access ----

    @Test
    void a_user_allowed_the_group_uses_its_members_but_a_member_grant_does_not_open_the_group() {
        CatalogSnapshot cat = threeMembers(ModelGroup.Strategy.PRIORITY, null);
        Resolution r = new GroupResolver(new ScriptedRandom()).resolve("coding", cat, RequestNeeds.NONE);

        UserAccess groupOnly = new UserAccess(false, Set.of("coding"), Set.of(), Map.of(2L, Set.of("other")));
        Resolution allowed = AccessPolicy.apply(groupOnly, r);
        assertThat(memberOrder(allowed)).containsExactly("a", "b", "c");

        UserAccess memberOnly = new UserAccess(false, Set.of("a"), Set.of(), Map.of());
        assertThatThrownBy(() -> AccessPolicy.apply(memberOnly, r)).isInstanceOf(GatewayException.Forbidden.class);

        UserAccess nodes = new UserAccess(false, Set.of("coding"), Set.of(3L), Map.of());
        assertThat(memberOrder(AccessPolicy.apply(nodes, r))).containsExactly("c");
    }
}
