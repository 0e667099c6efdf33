package io.modelmaestro.pool;

import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.provider.anthropic.AnthropicHttp;
import jakarta.inject.Singleton;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code anthropic} nodes: health and discovery are {@code GET /v1/models} with the node's key, which is free and
 * proves both reachability and that the key is accepted. No warmer (nothing to load).
 */
@Singleton
public class AnthropicNodeSupport implements NodeProbe, NodeModelSource {

    private final AnthropicHttp anthropic;

    public AnthropicNodeSupport(AnthropicHttp anthropic) {
        this.anthropic = anthropic;
    }

    @Override
    public boolean supports(NodeType type) {
        return type == NodeType.ANTHROPIC;
    }

    @Override
    public Mono<?> probe(Node node) {
        return anthropic.getJson(node, "/models?limit=1");
    }

    @Override
    public Mono<List<DiscoveredModel>> models(Node node) {
        return anthropic.getJson(node, "/models?limit=1000").map(OpenAiNodeSupport::parse);
    }
}
