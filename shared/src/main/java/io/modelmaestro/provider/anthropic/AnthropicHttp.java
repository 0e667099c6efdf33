package io.modelmaestro.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.provider.UpstreamHeaders;
import io.modelmaestro.upstream.UpstreamHttp;
import io.modelmaestro.upstream.UpstreamRequest;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls to an {@code anthropic} node's Messages API. The node's key goes up as {@code x-api-key} (the client's token
 * never does), {@code anthropic-version} is the client's or {@code maestro.anthropic.version} (2023-06-01), and the
 * client's {@code anthropic-beta} is passed through when it sent one. Headers configured on the node come last and
 * win.
 */
@Singleton
public class AnthropicHttp {

    public static final String DEFAULT_VERSION = "2023-06-01";

    /** The client headers that reach an Anthropic node; every other client header stays at the gateway. */
    public static final String VERSION_HEADER = "anthropic-version";

    public static final String BETA_HEADER = "anthropic-beta";

    private final UpstreamHttp http;
    private final String version;

    public AnthropicHttp(
            UpstreamHttp http, @Value("${maestro.anthropic.version:" + DEFAULT_VERSION + "}") String version) {
        this.http = http;
        this.version = version;
    }

    /** The node's API root, ending in {@code /v1} ({@code https://api.anthropic.com} → {@code …/v1}). */
    public static String base(Node node) {
        String base = node.baseUrl().endsWith("/")
                ? node.baseUrl().substring(0, node.baseUrl().length() - 1)
                : node.baseUrl();
        return base.endsWith("/v1") ? base : base + "/v1";
    }

    /** POSTs {@code body} to {@code base + endpoint} and returns the raw body chunks of a 2xx answer. */
    public Flux<byte[]> postStreaming(Node node, String endpoint, byte[] body, Map<String, String> clientHeaders) {
        UpstreamRequest request = new UpstreamRequest(
                "POST", base(node) + endpoint, headers(node, "text/event-stream", clientHeaders), body, node.name());
        return http.streamBody(request);
    }

    /** POSTs {@code body} and parses the whole 2xx answer as JSON. */
    public Mono<JsonNode> postJson(Node node, String endpoint, byte[] body, Map<String, String> clientHeaders) {
        return send(node, "POST", endpoint, body, clientHeaders);
    }

    public Mono<JsonNode> getJson(Node node, String endpoint) {
        return send(node, "GET", endpoint, new byte[0], Map.of());
    }

    private Mono<JsonNode> send(
            Node node, String method, String endpoint, byte[] body, Map<String, String> clientHeaders) {
        UpstreamRequest request = new UpstreamRequest(
                method, base(node) + endpoint, headers(node, "application/json", clientHeaders), body, node.name());
        return http.jsonBody(request);
    }

    Map<String, String> headers(Node node, String accept, Map<String, String> clientHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", accept);
        headers.put("user-agent", UpstreamHeaders.USER_AGENT);
        headers.put(VERSION_HEADER, clientHeaders.getOrDefault(VERSION_HEADER, version));
        String beta = clientHeaders.get(BETA_HEADER);
        if (beta != null && !beta.isBlank()) {
            headers.put(BETA_HEADER, beta);
        }
        node.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        String key = node.apiKey();
        if (key != null && !key.isBlank()) {
            headers.put("x-api-key", key);
        }
        return headers;
    }
}
