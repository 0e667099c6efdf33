package io.modelmaestro.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.UpstreamHeaders;
import io.modelmaestro.upstream.UpstreamHttp;
import io.modelmaestro.upstream.UpstreamPart;
import io.modelmaestro.upstream.UpstreamRequest;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
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
        return http.exchange(request).switchOnFirst((signal, all) -> {
            UpstreamPart first = signal.get();
            if (first instanceof UpstreamPart.Head head) {
                if (!head.ok()) {
                    return UpstreamHttp.errorFrom(head, all.skip(1), node.name())
                            .flatMapMany(Flux::error);
                }
                return all.skip(1).map(p -> ((UpstreamPart.Body) p).bytes());
            }
            return all.map(p -> new byte[0]);
        });
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
        return http.exchange(request).collectList().flatMap(parts -> {
            UpstreamPart.Head head = (UpstreamPart.Head) parts.get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 1; i < parts.size(); i++) {
                byte[] b = ((UpstreamPart.Body) parts.get(i)).bytes();
                out.write(b, 0, b.length);
            }
            byte[] bytes = out.toByteArray();
            if (!head.ok()) {
                return Mono.error(UpstreamHttp.upstreamError(head, bytes, node.name()));
            }
            JsonNode json = Json.tryParse(bytes);
            if (json == null || !json.isObject()) {
                return Mono.error(new GatewayException.UpstreamError(
                        502, node.name(), "node " + node.name() + ": answered with a body that is not JSON", 0));
            }
            return Mono.just(json);
        });
    }
}
