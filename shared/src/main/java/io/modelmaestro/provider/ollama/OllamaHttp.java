package io.modelmaestro.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.provider.UpstreamHeaders;
import io.modelmaestro.upstream.UpstreamHttp;
import io.modelmaestro.upstream.UpstreamRequest;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls to an Ollama node's native API. The node's {@code base_url} is its root ({@code http://host:11434}); a
 * trailing {@code /v1} (the form the OpenAI layer uses) is removed. Endpoints are constants of the callers, never
 * built from client input: model names travel in bodies only.
 */
@Singleton
public class OllamaHttp {

    private final UpstreamHttp http;

    public OllamaHttp(UpstreamHttp http) {
        this.http = http;
    }

    /** The node's native API root, without a trailing slash or {@code /v1}. */
    public static String root(Node node) {
        String base = node.baseUrl().strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        return base;
    }

    /** Sends {@code body} and returns the raw body chunks of a 2xx answer as they arrive. */
    public Flux<byte[]> stream(Node node, String method, String endpoint, byte[] body) {
        UpstreamRequest request = new UpstreamRequest(
                method, root(node) + endpoint, UpstreamHeaders.bearer(node, "application/x-ndjson"), body, node.name());
        return http.streamBody(request);
    }

    public Flux<byte[]> postStreaming(Node node, String endpoint, byte[] body) {
        return stream(node, "POST", endpoint, body);
    }

    /** POSTs {@code body} and parses the whole 2xx answer as a JSON object. */
    public Mono<JsonNode> postJson(Node node, String endpoint, byte[] body) {
        return json(node, "POST", endpoint, body);
    }

    public Mono<JsonNode> getJson(Node node, String endpoint) {
        return json(node, "GET", endpoint, new byte[0]);
    }

    /** Sends a request and returns the whole 2xx body as it is (possibly empty: {@code /api/copy}, {@code /api/delete}). */
    public Mono<byte[]> send(Node node, String method, String endpoint, byte[] body) {
        UpstreamRequest request = new UpstreamRequest(
                method, root(node) + endpoint, UpstreamHeaders.bearer(node, "application/json"), body, node.name());
        return http.wholeBody(request);
    }

    private Mono<JsonNode> json(Node node, String method, String endpoint, byte[] body) {
        UpstreamRequest request = new UpstreamRequest(
                method, root(node) + endpoint, UpstreamHeaders.bearer(node, "application/json"), body, node.name());
        return http.jsonBody(request);
    }
}
