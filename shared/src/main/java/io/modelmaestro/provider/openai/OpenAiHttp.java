package io.modelmaestro.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.provider.UpstreamHeaders;
import io.modelmaestro.upstream.UpstreamHttp;
import io.modelmaestro.upstream.UpstreamRequest;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls to an OpenAI-compatible node's {@code /v1} API (OpenAI, vLLM, NIM, and Ollama's compatibility layer). Shared
 * by the passthrough path and the canonical provider.
 */
@Singleton
public class OpenAiHttp {

    private final UpstreamHttp http;

    public OpenAiHttp(UpstreamHttp http) {
        this.http = http;
    }

    /** POSTs {@code body} to {@code node.openAiBase() + endpoint} and returns the raw body chunks of a 2xx answer. */
    public Flux<byte[]> postStreaming(Node node, String endpoint, byte[] body) {
        UpstreamRequest request = new UpstreamRequest(
                "POST",
                node.openAiBase() + endpoint,
                UpstreamHeaders.bearer(node, "text/event-stream"),
                body,
                node.name());
        return http.streamBody(request);
    }

    /** POSTs {@code body} and parses the whole 2xx answer as JSON. */
    public Mono<JsonNode> postJson(Node node, String endpoint, byte[] body) {
        return send(node, "POST", endpoint, body);
    }

    public Mono<JsonNode> getJson(Node node, String endpoint) {
        return send(node, "GET", endpoint, new byte[0]);
    }

    private Mono<JsonNode> send(Node node, String method, String endpoint, byte[] body) {
        UpstreamRequest request = new UpstreamRequest(
                method,
                node.openAiBase() + endpoint,
                UpstreamHeaders.bearer(node, "application/json"),
                body,
                node.name());
        return http.jsonBody(request);
    }
}
