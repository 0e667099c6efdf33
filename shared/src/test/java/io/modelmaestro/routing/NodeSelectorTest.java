package io.modelmaestro.routing;

import static io.modelmaestro.routing.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSelectorTest {

    private static List<Long> ids(List<Target> targets) {
        return targets.stream().map(t -> t.node().id()).toList();
    }

    // ---- priority ----

    static Stream<Arguments> priorityOrders() {
        return Stream.of(
                Arguments.of(
                        "priority descending",
                        List.of(node(1).priority(1), node(2).priority(10), node(3).priority(5)),
                        List.of(2L, 3L, 1L)),
                Arguments.of(
                        "equal priority: weight descending",
                        List.of(
                                node(1).priority(5).weight(1),
                                node(2).priority(5).weight(9),
                                node(3).priority(5).weight(4)),
                        List.of(2L, 3L, 1L)),
                Arguments.of(
                        "equal priority and weight: id ascending",
                        List.of(node(30), node(10), node(20)),
                        List.of(10L, 20L, 30L)),
                Arguments.of(
                        "priority beats weight, weight beats id",
                        List.of(
                                node(1).priority(1).weight(100),
                                node(2).priority(2).weight(1),
                                node(4).priority(2).weight(5),
                                node(3).priority(2).weight(5)),
                        List.of(3L, 4L, 2L, 1L)),
                Arguments.of(
                        "negative priorities sort below zero",
                        List.of(node(1).priority(-5), node(2).priority(0), node(3).priority(-1)),
                        List.of(2L, 3L, 1L)),
                Arguments.of("single candidate", List.of(node(7)), List.of(7L)),
                Arguments.of("no candidates", List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("priorityOrders")
    void priority_ordersByPriorityThenWeightThenId(String name, List<TestNodes.Builder> nodes, List<Long> expected) {
        List<Target> candidates = nodes.stream().map(TestNodes.Builder::target).toList();
        assertThat(ids(NodeSelector.priority().order(candidates))).containsExactlyElementsOf(expected);
        List<Target> reversed = new ArrayList<>(candidates);
        Collections.reverse(reversed);
        assertThat(ids(NodeSelector.priority().order(reversed)))
                .as("independent of input order")
                .containsExactlyElementsOf(expected);
    }

    @Test
    void priority_doesNotModifyItsInput() {
        List<Target> candidates = new ArrayList<>(
                List.of(node(1).priority(1).target(), node(2).priority(2).target()));
        NodeSelector.priority().order(candidates);
        assertThat(ids(candidates)).containsExactly(1L, 2L);
    }

    // ---- round robin ----

    private static List<Target> twoTiers() {
        return List.of(
                node(5).priority(1).target(),
                node(3).priority(10).target(),
                node(4).priority(5).target(),
                node(1).priority(10).target(),
                node(2).priority(10).target());
    }

    @Test
    void roundRobin_rotatesTheTopPriorityTierAndKeepsTheRestInPriorityOrder() {
        NodeSelector selector = NodeSelector.roundRobin();
        List<Target> candidates = twoTiers();
        assertThat(ids(selector.order(candidates))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ids(selector.order(candidates))).containsExactly(2L, 3L, 1L, 4L, 5L);
        assertThat(ids(selector.order(candidates))).containsExactly(3L, 1L, 2L, 4L, 5L);
        assertThat(ids(selector.order(candidates))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void roundRobin_givesEachTopTierNodeTheFirstSlotEquallyOften() {
        NodeSelector selector = NodeSelector.roundRobin();
        List<Target> candidates = twoTiers();
        Map<Long, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            List<Long> order = ids(selector.order(candidates));
            assertThat(order).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
            assertThat(order.subList(3, 5)).as("lower tiers never rotate").containsExactly(4L, 5L);
            firsts.merge(order.get(0), 1, Integer::sum);
        }
        assertThat(firsts).containsOnly(Map.entry(1L, 100), Map.entry(2L, 100), Map.entry(3L, 100));
    }

    @Test
    void roundRobin_isDeterministic() {
        NodeSelector a = NodeSelector.roundRobin();
        NodeSelector b = NodeSelector.roundRobin();
        for (int i = 0; i < 10; i++) {
            assertThat(ids(a.order(twoTiers()))).isEqualTo(ids(b.order(twoTiers())));
        }
    }

    @Test
    void roundRobin_withASingleTopPriorityNode_alwaysPutsItFirst() {
        NodeSelector selector = NodeSelector.roundRobin();
        List<Target> candidates = List.of(
                node(1).priority(1).target(),
                node(2).priority(9).target(),
                node(3).priority(1).target());
        for (int i = 0; i < 5; i++) {
            assertThat(ids(selector.order(candidates))).containsExactly(2L, 1L, 3L);
        }
    }

    @Test
    void roundRobin_handlesZeroAndOneCandidates() {
        NodeSelector selector = NodeSelector.roundRobin();
        assertThat(selector.order(List.of())).isEmpty();
        assertThat(ids(selector.order(List.of(node(4).target())))).containsExactly(4L);
        assertThat(ids(selector.order(List.of(node(4).target())))).containsExactly(4L);
    }

    // ---- weighted ----

    @Test
    void weighted_picksFirstInProportionToWeight() {
        NodeSelector selector = NodeSelector.weighted(new Random(42));
        List<Target> candidates = List.of(
                node(1).weight(1).target(),
                node(2).weight(3).target(),
                node(3).weight(6).target());
        int draws = 30_000;
        Map<Long, Integer> firsts = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            firsts.merge(selector.order(candidates).get(0).node().id(), 1, Integer::sum);
        }
        assertThat(firsts.get(1L) / (double) draws).isCloseTo(0.1, within(0.015));
        assertThat(firsts.get(2L) / (double) draws).isCloseTo(0.3, within(0.015));
        assertThat(firsts.get(3L) / (double) draws).isCloseTo(0.6, within(0.015));
    }

    @Test
    void weighted_drawsWithoutReplacement_soWholeOrdersFollowTheWeights() {
        NodeSelector selector = NodeSelector.weighted(new Random(7));
        List<Target> candidates = List.of(
                node(1).weight(1).target(),
                node(2).weight(3).target(),
                node(3).weight(6).target());
        int draws = 30_000;
        Map<List<Long>, Integer> orders = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            orders.merge(ids(selector.order(candidates)), 1, Integer::sum);
        }
        // P(a, b, c) = w(a)/10 * w(b)/(10 - w(a)) * 1
        Map<List<Long>, Double> expected = Map.of(
                List.of(1L, 2L, 3L), 0.1 * 3 / 9,
                List.of(1L, 3L, 2L), 0.1 * 6 / 9,
                List.of(2L, 1L, 3L), 0.3 * 1 / 7,
                List.of(2L, 3L, 1L), 0.3 * 6 / 7,
                List.of(3L, 1L, 2L), 0.6 * 1 / 4,
                List.of(3L, 2L, 1L), 0.6 * 3 / 4);
        assertThat(orders.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((order, p) -> assertThat(orders.get(order) / (double) draws)
                .as("order %s", order)
                .isCloseTo(p, within(0.015)));
    }

    @Test
    void weighted_returnsEveryCandidateExactlyOnce() {
        NodeSelector selector = NodeSelector.weighted(new Random(1));
        List<Target> candidates = List.of(
                node(1).weight(1).target(),
                node(2).weight(50).target(),
                node(3).weight(0).target(),
                node(4).weight(7).priority(9).target(),
                node(5).weight(2).priority(-3).target());
        for (int i = 0; i < 1_000; i++) {
            assertThat(ids(selector.order(candidates))).hasSize(5).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void weighted_withTheSameSeed_isReproducible() {
        List<Target> candidates = List.of(
                node(1).weight(2).target(),
                node(2).weight(3).target(),
                node(3).weight(5).target());
        NodeSelector a = NodeSelector.weighted(new Random(99));
        NodeSelector b = NodeSelector.weighted(new Random(99));
        for (int i = 0; i < 50; i++) {
            assertThat(ids(a.order(candidates))).isEqualTo(ids(b.order(candidates)));
        }
    }

    @Test
    void weighted_resultIndependentOfInputOrder() {
        List<Target> candidates = List.of(
                node(1).weight(2).target(),
                node(2).weight(3).target(),
                node(3).weight(5).target());
        List<Target> reversed = new ArrayList<>(candidates);
        Collections.reverse(reversed);
        NodeSelector a = NodeSelector.weighted(new Random(5));
        NodeSelector b = NodeSelector.weighted(new Random(5));
        for (int i = 0; i < 50; i++) {
            assertThat(ids(a.order(candidates))).isEqualTo(ids(b.order(reversed)));
        }
    }

    @Test
    void weighted_handlesZeroCandidates() {
        assertThat(NodeSelector.weighted(new Random(0)).order(List.of())).isEmpty();
    }

    // ---- named ----

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("priority", NodeSelector.PrioritySelector.class),
                Arguments.of("PRIORITY", NodeSelector.PrioritySelector.class),
                Arguments.of("round-robin", NodeSelector.RoundRobinSelector.class),
                Arguments.of("round_robin", NodeSelector.RoundRobinSelector.class),
                Arguments.of("roundrobin", NodeSelector.RoundRobinSelector.class),
                Arguments.of("Round-Robin", NodeSelector.RoundRobinSelector.class),
                Arguments.of("weighted", NodeSelector.WeightedSelector.class),
                Arguments.of("WEIGHTED", NodeSelector.WeightedSelector.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void named_acceptsKnownStrategiesInAnyCase(String name, Class<? extends NodeSelector> expected) {
        assertThat(NodeSelector.named(name, new Random(0))).isInstanceOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "random", "least-busy", "round robin"})
    void named_rejectsUnknownStrategies(String name) {
        assertThatThrownBy(() -> NodeSelector.named(name, new Random(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority, round-robin or weighted");
    }
}
