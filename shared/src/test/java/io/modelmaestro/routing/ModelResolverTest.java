package io.modelmaestro.routing;

import static io.modelmaestro.routing.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelResolverTest {

    private static ModelMapping mapping(long id, String display, String real, Long... nodeIds) {
        return new ModelMapping(id, display, real, Set.of(nodeIds), null, List.of());
    }

    private static CatalogSnapshot catalog(List<Node> nodes, List<ModelMapping> mappings) {
        return new CatalogSnapshot(nodes, mappings, List.of());
    }

    private static List<Long> nodeIds(Resolution resolution) {
        return resolution.candidates().stream().map(t -> t.node().id()).toList();
    }

    /**
     * The fleet most cases use:
     *
     * <ul>
     *   <li>1 "gpu1": discovered, has llama3:8b and qwen2.5:7b
     *   <li>2 "gpu2": never discovered (may serve anything)
     *   <li>3 "cpu": discovered, has only phi3:latest
     *   <li>4 "old": inactive, has llama3:8b
     *   <li>5 "priv": scoped models, has llama3:8b and secret:1b
     * </ul>
     */
    private static List<Node> fleet() {
        return List.of(
                node(1).code("gpu1").knownModels("llama3:8b", "qwen2.5:7b").build(),
                node(2).code("gpu2").build(),
                node(3).code("cpu").knownModels("phi3:latest").build(),
                node(4).code("old").knownModels("llama3:8b").inactive().build(),
                node(5).code("priv")
                        .knownModels("llama3:8b", "secret:1b")
                        .scopedModels()
                        .build());
    }

    // ---- mappings ----

    @Test
    void globalMapping_targetsEveryActiveUnscopedNodeThatMayServeTheRealName() {
        ModelMapping m = mapping(10, "chat", "llama3:8b");
        Resolution r = ModelResolver.resolve("chat", catalog(fleet(), List.of(m)));
        assertThat(r.displayModel()).isEqualTo("chat");
        assertThat(r.pinned()).isFalse();
        assertThat(nodeIds(r)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(r.candidates()).allSatisfy(t -> {
            assertThat(t.upstreamModel()).isEqualTo("llama3:8b");
            assertThat(t.mapping()).isEqualTo(m);
        });
    }

    @Test
    void nodeScopedMapping_targetsOnlyItsNodes_includingScopedModelNodes() {
        ModelMapping m = mapping(10, "chat", "llama3:8b", 2L, 5L);
        Resolution r = ModelResolver.resolve("chat", catalog(fleet(), List.of(m)));
        assertThat(nodeIds(r)).containsExactlyInAnyOrder(2L, 5L);
        assertThat(r.candidates()).allSatisfy(t -> assertThat(t.upstreamModel()).isEqualTo("llama3:8b"));
    }

    @Test
    void nodeScopedMapping_skipsItsNodesThatLackTheRealModel() {
        ModelMapping m = mapping(10, "chat", "llama3:8b", 1L, 3L);
        Resolution r = ModelResolver.resolve("chat", catalog(fleet(), List.of(m)));
        assertThat(nodeIds(r)).containsExactly(1L);
    }

    @Test
    void mapping_neverTargetsInactiveNodes() {
        ModelMapping m = mapping(10, "chat", "llama3:8b", 4L, 1L);
        Resolution r = ModelResolver.resolve("chat", catalog(fleet(), List.of(m)));
        assertThat(nodeIds(r)).containsExactly(1L);
    }

    @Test
    void mapping_withNoNodeServingIt_isNoHealthyNode() {
        ModelMapping m = mapping(10, "chat", "llama3:8b", 4L);
        GatewayException.NoHealthyNode e = catchThrowableOfType(
                GatewayException.NoHealthyNode.class,
                () -> ModelResolver.resolve("chat", catalog(fleet(), List.of(m))));
        assertThat(e).hasMessageContaining("'chat'");
    }

    static Stream<Arguments> latestFallback() {
        return Stream.of(
                Arguments.of("untagged name finds the :latest mapping", "mistral:latest", "mistral", true),
                Arguments.of("exact :latest name finds it too", "mistral:latest", "mistral:latest", true),
                Arguments.of("another tag does not fall back to :latest", "mistral:latest", "mistral:7b", false),
                Arguments.of(
                        "a :latest name finds the untagged mapping (Ollama clients add it)",
                        "mistral",
                        "mistral:latest",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("latestFallback")
    void mapping_latestFallbackForUntaggedNames(String name, String display, String requested, boolean mapped) {
        ModelMapping m = mapping(10, display, "real-model:1b");
        List<Node> nodes = List.of(node(1).knownModels("real-model:1b").build());
        if (mapped) {
            Resolution r = ModelResolver.resolve(requested, catalog(nodes, List.of(m)));
            assertThat(r.displayModel()).isEqualTo(requested);
            assertThat(r.candidates()).singleElement().satisfies(t -> {
                assertThat(t.upstreamModel()).isEqualTo("real-model:1b");
                assertThat(t.mapping()).isEqualTo(m);
            });
        } else {
            assertThat(catchThrowableOfType(
                            GatewayException.NotFound.class,
                            () -> ModelResolver.resolve(requested, catalog(nodes, List.of(m)))))
                    .hasMessage("Model '" + requested + "' not found");
        }
    }

    @Test
    void mapping_exactNameWinsOverTheLatestFallback() {
        ModelMapping exact = mapping(10, "chat", "llama3:8b");
        ModelMapping latest = mapping(11, "chat:latest", "qwen2.5:7b");
        Resolution r = ModelResolver.resolve("chat", catalog(fleet(), List.of(latest, exact)));
        assertThat(r.candidates()).allSatisfy(t -> assertThat(t.upstreamModel()).isEqualTo("llama3:8b"));
    }

    // ---- real names ----

    @Test
    void unmappedModel_goesToNodesThatKnowItOrWereNeverDiscovered() {
        Resolution r = ModelResolver.resolve("qwen2.5:7b", catalog(fleet(), List.of()));
        assertThat(r.pinned()).isFalse();
        assertThat(nodeIds(r)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(r.candidates()).allSatisfy(t -> {
            assertThat(t.upstreamModel()).isEqualTo("qwen2.5:7b");
            assertThat(t.mapping()).isNull();
        });
    }

    @Test
    void unmappedModel_excludesScopedModelNodesAndInactiveNodes() {
        // Nodes 4 (inactive) and 5 (scoped) both list llama3:8b.
        Resolution r = ModelResolver.resolve("llama3:8b", catalog(fleet(), List.of()));
        assertThat(nodeIds(r)).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void unmappedModel_knownOnlyToAScopedNode_goesOnlyToUndiscoveredNodes() {
        Resolution r = ModelResolver.resolve("secret:1b", catalog(fleet(), List.of()));
        assertThat(nodeIds(r)).containsExactly(2L);
    }

    static Stream<Arguments> tagEquivalence() {
        return Stream.of(
                Arguments.of("phi3", "phi3:latest", true),
                Arguments.of("phi3:latest", "phi3", true),
                Arguments.of("phi3:latest", "phi3:latest", true),
                Arguments.of("phi3:mini", "phi3:latest", false),
                Arguments.of("phi3", "phi3:mini", false));
    }

    @ParameterizedTest(name = "requested {0}, node knows {1}: served={2}")
    @MethodSource("tagEquivalence")
    void unmappedModel_treatsUntaggedAndLatestAsTheSameModel(String requested, String known, boolean served) {
        CatalogSnapshot c = catalog(List.of(node(1).knownModels(known).build()), List.of());
        if (served) {
            Resolution r = ModelResolver.resolve(requested, c);
            assertThat(nodeIds(r)).containsExactly(1L);
            assertThat(r.candidates().get(0).upstreamModel()).isEqualTo(requested);
        } else {
            assertThat(catchThrowableOfType(GatewayException.NotFound.class, () -> ModelResolver.resolve(requested, c)))
                    .isNotNull();
        }
    }

    @Test
    void unknownModel_whenEveryNodeWasDiscovered_isNotFound() {
        List<Node> discovered = List.of(
                node(1).knownModels("llama3:8b").build(),
                node(3).knownModels("phi3:latest").build(),
                node(5).knownModels("nope:1b").scopedModels().build());
        GatewayException.NotFound e = catchThrowableOfType(
                GatewayException.NotFound.class,
                () -> ModelResolver.resolve("nope:1b", catalog(discovered, List.of())));
        assertThat(e).hasMessage("Model 'nope:1b' not found");
    }

    @Test
    void unknownModel_withOnlyInactiveUndiscoveredNodes_isNotFound() {
        List<Node> nodes = List.of(node(1).inactive().build());
        assertThat(catchThrowableOfType(
                        GatewayException.NotFound.class,
                        () -> ModelResolver.resolve("anything", catalog(nodes, List.of()))))
                .isNotNull();
    }

    @Test
    void emptyCatalog_isNotFound() {
        assertThat(catchThrowableOfType(
                        GatewayException.NotFound.class, () -> ModelResolver.resolve("llama3", CatalogSnapshot.EMPTY)))
                .hasMessage("Model 'llama3' not found");
    }

    // ---- node:CODE:model ----

    @Test
    void pinned_targetsOnlyThatNode_withTheModelAsIs() {
        Resolution r = ModelResolver.resolve("node:gpu1:llama3:8b", catalog(fleet(), List.of()));
        assertThat(r.pinned()).isTrue();
        assertThat(r.displayModel()).isEqualTo("node:gpu1:llama3:8b");
        assertThat(r.candidates()).singleElement().satisfies(t -> {
            assertThat(t.node().id()).isEqualTo(1L);
            assertThat(t.upstreamModel()).isEqualTo("llama3:8b");
            assertThat(t.mapping()).isNull();
        });
    }

    @Test
    void pinned_reachesScopedModelNodes() {
        Resolution r = ModelResolver.resolve("node:priv:secret:1b", catalog(fleet(), List.of()));
        assertThat(r.candidates()).singleElement().satisfies(t -> {
            assertThat(t.node().id()).isEqualTo(5L);
            assertThat(t.upstreamModel()).isEqualTo("secret:1b");
        });
    }

    @Test
    void pinned_doesNotRequireTheNodeToKnowTheModel() {
        Resolution r = ModelResolver.resolve("node:cpu:brand-new:1b", catalog(fleet(), List.of()));
        assertThat(r.candidates()).singleElement().satisfies(t -> {
            assertThat(t.node().id()).isEqualTo(3L);
            assertThat(t.upstreamModel()).isEqualTo("brand-new:1b");
        });
    }

    static Stream<Arguments> pinnedMappings() {
        return Stream.of(
                Arguments.of("global mapping applies", mapping(10, "chat", "llama3:8b"), "llama3:8b", true),
                Arguments.of(
                        "mapping scoped to the pinned node applies",
                        mapping(10, "chat", "llama3:8b", 1L, 2L),
                        "llama3:8b",
                        true),
                Arguments.of(
                        "mapping scoped to other nodes leaves the name as is",
                        mapping(10, "chat", "llama3:8b", 2L, 5L),
                        "chat",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedMappings")
    void pinned_mapsTheModelOnlyWhenAMappingAppliesToThatNode(
            String name, ModelMapping m, String upstreamModel, boolean mapped) {
        Resolution r = ModelResolver.resolve("node:gpu1:chat", catalog(fleet(), List.of(m)));
        assertThat(r.pinned()).isTrue();
        assertThat(r.candidates()).singleElement().satisfies(t -> {
            assertThat(t.node().id()).isEqualTo(1L);
            assertThat(t.upstreamModel()).isEqualTo(upstreamModel);
            assertThat(t.mapping()).isEqualTo(mapped ? m : null);
        });
    }

    @Test
    void pinned_mappingLookupUsesTheLatestFallback() {
        ModelMapping m = mapping(10, "chat:latest", "llama3:8b");
        Resolution r = ModelResolver.resolve("node:gpu2:chat", catalog(fleet(), List.of(m)));
        assertThat(r.candidates())
                .singleElement()
                .satisfies(t -> assertThat(t.upstreamModel()).isEqualTo("llama3:8b"));
    }

    @Test
    void pinned_unknownCode_isNotFoundWithExactMessage() {
        GatewayException.NotFound e = catchThrowableOfType(
                GatewayException.NotFound.class,
                () -> ModelResolver.resolve("node:x:llama3:8b", catalog(fleet(), List.of())));
        assertThat(e).hasMessage("Node with code 'x' not found");
    }

    @Test
    void pinned_codeIsCaseSensitive() {
        GatewayException.NotFound e = catchThrowableOfType(
                GatewayException.NotFound.class,
                () -> ModelResolver.resolve("node:GPU1:llama3:8b", catalog(fleet(), List.of())));
        assertThat(e).hasMessage("Node with code 'GPU1' not found");
    }

    @Test
    void pinned_inactiveNode_isNeverACandidate() {
        GatewayException.NoHealthyNode e = catchThrowableOfType(
                GatewayException.NoHealthyNode.class,
                () -> ModelResolver.resolve("node:old:llama3:8b", catalog(fleet(), List.of())));
        assertThat(e).hasMessageContaining("'old'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node:", "node:abc", "node:abc:", "node::llama3", "node::"})
    void pinned_malformedPrefix_isInvalidRequestOnModel(String requested) {
        GatewayException.InvalidRequest e = catchThrowableOfType(
                GatewayException.InvalidRequest.class,
                () -> ModelResolver.resolve(requested, catalog(fleet(), List.of())));
        assertThat(e.param()).isEqualTo("model");
        assertThat(e).hasMessageContaining("node:CODE:model").hasMessageContaining(requested);
    }

    @Test
    void nameMerelyContainingNode_isNotAPin() {
        Resolution r = ModelResolver.resolve("mynode:gpu1:x", catalog(fleet(), List.of()));
        assertThat(r.pinned()).isFalse();
        assertThat(nodeIds(r)).containsExactly(2L);
    }
}
