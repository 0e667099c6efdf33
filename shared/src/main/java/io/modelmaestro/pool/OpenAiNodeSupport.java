package io.modelmaestro.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.provider.openai.OpenAiHttp;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * OpenAI-compatible nodes ({@code openai}, {@code vllm}): health and discovery are both {@code GET /v1/models}, which
 * costs nothing; vLLM's {@code max_model_len} becomes the context length. No warmer: vLLM loads its model at start,
 * and a completion on a hosted API would be billed.
 */
@Singleton
public class OpenAiNodeSupport implements NodeProbe, NodeModelSource {

    private final OpenAiHttp openAi;

    public OpenAiNodeSupport(OpenAiHttp openAi) {
        this.openAi = openAi;
    }

    @Override
    public boolean supports(NodeType type) {
        return type == NodeType.OPENAI || type == NodeType.VLLM;
    }

    @Override
    public Mono<?> probe(Node node) {
        return openAi.getJson(node, "/models");
    }

    @Override
    public Mono<List<DiscoveredModel>> models(Node node) {
        return openAi.getJson(node, "/models").map(OpenAiNodeSupport::parse);
    }

    /** The {@code data} items of an OpenAI-style model list ({@code id}, optional {@code max_model_len}). */
    static List<DiscoveredModel> parse(JsonNode body) {
        List<DiscoveredModel> out = new ArrayList<>();
        for (JsonNode m : body.path("data")) {
            String id = m.path("id").asText("");
            if (!id.isEmpty() && m instanceof ObjectNode entry) {
                JsonNode len = m.get("max_model_len");
                out.add(DiscoveredModel.named(id, len != null && len.canConvertToInt() ? len.asInt() : null, entry));
            }
        }
        return out;
    }
}
