package io.modelmaestro.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.routing.Target;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Embeddings on a node type that does not speak OpenAI's or Ollama's embeddings API (today: Bedrock's Titan and
 * Cohere models). OpenAI- and Ollama-speaking nodes keep their passthrough; the surfaces ({@code /v1/embeddings},
 * {@code /api/embed}, {@code /api/embeddings}) ask {@link ProviderRegistry#embeddings} for the others.
 */
public interface EmbeddingProvider {

    Set<NodeType> nodeTypes();

    /**
     * One vector per input, in input order. {@code target.upstreamModel()} is the real model name. Errors before the
     * answer are {@code GatewayException}s, as for chat.
     */
    Mono<Embeddings> embed(List<String> inputs, @Nullable Integer dimensions, Target target);

    /** The vectors (JSON arrays of numbers) and the input token count. */
    record Embeddings(List<JsonNode> vectors, long promptTokens) {
        public Embeddings {
            vectors = List.copyOf(vectors);
        }
    }
}
