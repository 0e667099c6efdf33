package io.modelmaestro.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.EmbeddingProvider;
import io.modelmaestro.routing.Target;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;

/**
 * Embeddings on bedrock nodes through {@code InvokeModel}: Titan text embeddings ({@code amazon.titan-embed-text-v1},
 * {@code -v2:0}: one input per call, so one call per input, in order) and Cohere ({@code cohere.embed-*}: all inputs in
 * one call). Other models are refused with a 400 naming the supported families.
 */
@Singleton
public class BedrockEmbeddings implements EmbeddingProvider {

    /** Cohere's limit of texts per call. */
    static final int COHERE_MAX_TEXTS = 96;

    private final BedrockClients clients;

    public BedrockEmbeddings(BedrockClients clients) {
        this.clients = clients;
    }

    @Override
    public Set<NodeType> nodeTypes() {
        return Set.of(NodeType.BEDROCK);
    }

    @Override
    public Mono<Embeddings> embed(List<String> inputs, @Nullable Integer dimensions, Target target) {
        Node node = target.node();
        String model = target.upstreamModel();
        Family family = family(model);
        return clients.checkEndpoint(node)
                .then(Mono.defer(() -> {
                    BedrockRuntimeAsyncClient client = clients.runtime(node);
                    return family == Family.TITAN
                            ? titan(client, model, inputs, dimensions, node.name())
                            : cohere(client, model, inputs, node.name());
                }))
                .onErrorMap(e -> BedrockErrors.map(e, node.name()));
    }

    enum Family {
        TITAN,
        COHERE
    }

    static Family family(String model) {
        if (model.contains("amazon.titan-embed-text") || model.contains("amazon.titan-embed-g1-text")) {
            return Family.TITAN;
        }
        if (model.contains("cohere.embed")) {
            return Family.COHERE;
        }
        throw new GatewayException.InvalidRequest(
                "Embeddings on Bedrock are available for Titan text (amazon.titan-embed-text-*) and Cohere"
                        + " (cohere.embed-*) models; '" + model + "' is neither.",
                "model");
    }

    private static Mono<Embeddings> titan(
            BedrockRuntimeAsyncClient client,
            String model,
            List<String> inputs,
            @Nullable Integer dimensions,
            String node) {
        boolean v1 = model.contains("titan-embed-text-v1") || model.contains("titan-embed-g1-text");
        return Flux.fromIterable(inputs)
                .concatMap(text -> {
                    ObjectNode body = Json.object();
                    body.put("inputText", text);
                    if (!v1 && dimensions != null) {
                        body.put("dimensions", dimensions);
                    }
                    return invoke(client, model, body, node);
                })
                .collectList()
                .map(answers -> {
                    List<JsonNode> vectors = new ArrayList<>();
                    long tokens = 0;
                    for (JsonNode a : answers) {
                        vectors.add(vector(a.get("embedding"), model, node));
                        tokens += a.path("inputTextTokenCount").asLong(0);
                    }
                    return new Embeddings(vectors, tokens);
                });
    }

    private static Mono<Embeddings> cohere(
            BedrockRuntimeAsyncClient client, String model, List<String> inputs, String node) {
        if (inputs.size() > COHERE_MAX_TEXTS) {
            throw new GatewayException.InvalidRequest(
                    "Cohere models on Bedrock take at most " + COHERE_MAX_TEXTS + " inputs per request.", "input");
        }
        ObjectNode body = Json.object();
        ArrayNode texts = body.putArray("texts");
        inputs.forEach(texts::add);
        body.put("input_type", "search_document");
        body.put("truncate", "END");
        return invoke(client, model, body, node).map(answer -> {
            JsonNode embeddings = answer.get("embeddings");
            if (embeddings != null && embeddings.isObject()) {
                embeddings = embeddings.get("float");
            }
            List<JsonNode> vectors = new ArrayList<>();
            if (embeddings != null) {
                embeddings.forEach(v -> vectors.add(vector(v, model, node)));
            }
            if (vectors.size() != inputs.size()) {
                throw new GatewayException.UpstreamError(
                        502,
                        node,
                        "node " + node + ": answered " + vectors.size() + " embeddings for " + inputs.size()
                                + " inputs",
                        0);
            }
            // Cohere on Bedrock reports no token count; a quarter of the characters is the usual estimate.
            long tokens =
                    inputs.stream().mapToLong(s -> Math.max(1, s.length() / 4)).sum();
            return new Embeddings(vectors, tokens);
        });
    }

    private static Mono<JsonNode> invoke(BedrockRuntimeAsyncClient client, String model, ObjectNode body, String node) {
        InvokeModelRequest request = InvokeModelRequest.builder()
                .modelId(model)
                .contentType("application/json")
                .accept("application/json")
                .body(SdkBytes.fromByteArray(Json.write(body)))
                .build();
        return Mono.fromFuture(() -> client.invokeModel(request), false).map(response -> {
            JsonNode json = Json.tryParse(response.body().asByteArray());
            if (json == null || !json.isObject()) {
                throw new GatewayException.UpstreamError(
                        502, node, "node " + node + ": Bedrock answered an unreadable body", 0);
            }
            return json;
        });
    }

    private static JsonNode vector(@Nullable JsonNode v, String model, String node) {
        if (v == null || !v.isArray()) {
            throw new GatewayException.UpstreamError(
                    502, node, "node " + node + ": Bedrock answered no embedding vector for " + model, 0);
        }
        return v;
    }
}
