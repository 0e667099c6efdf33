package io.modelmaestro.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.bedrock.BedrockModelDiscovery;
import jakarta.inject.Singleton;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code bedrock} nodes: health and discovery through the Bedrock control plane ({@code ListFoundationModels} and
 * {@code ListInferenceProfiles}, which cost nothing and prove that the region, the endpoint and the credentials work).
 * The SDK calls block, so they run on the bounded elastic scheduler. No warmer: Bedrock has nothing to load.
 */
@Singleton
public class BedrockNodeSupport implements NodeProbe, NodeModelSource {

    private final BedrockModelDiscovery discovery;

    public BedrockNodeSupport(BedrockModelDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public boolean supports(NodeType type) {
        return type == NodeType.BEDROCK;
    }

    @Override
    public Mono<?> probe(Node node) {
        return models(node);
    }

    @Override
    public Mono<List<DiscoveredModel>> models(Node node) {
        return Mono.fromCallable(() -> discovery.discover(node).stream()
                        .map(BedrockNodeSupport::toDiscovered)
                        .toList())
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static DiscoveredModel toDiscovered(BedrockModelDiscovery.DiscoveredModel m) {
        ObjectNode entry = Json.parse(m.details()) instanceof ObjectNode o ? o : null;
        return new DiscoveredModel(m.name(), null, m.family(), null, null, m.capabilities(), entry, null);
    }
}
