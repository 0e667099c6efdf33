package io.modelmaestro.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.routing.Target;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.wire.anthropic.AnthropicRequestEncoder;
import io.modelmaestro.wire.anthropic.AnthropicResponseCodec;
import io.modelmaestro.wire.anthropic.AnthropicStreamDecoder;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The canonical provider for {@code anthropic} nodes: OpenAI clients (and, with passthrough off, Anthropic clients)
 * reach Claude through it. Requests without {@code max_tokens} get {@code maestro.anthropic.default-max-tokens}
 * (4096), which Anthropic requires.
 */
@Singleton
public class AnthropicProvider implements ChatProvider {

    private final AnthropicHttp http;
    private final int defaultMaxTokens;

    public AnthropicProvider(
            AnthropicHttp http, @Value("${maestro.anthropic.default-max-tokens:4096}") int defaultMaxTokens) {
        this.http = http;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public Set<NodeType> nodeTypes() {
        return Set.of(NodeType.ANTHROPIC);
    }

    @Override
    public Flux<StreamEvent> stream(ChatRequest request, Target target) {
        byte[] body = body(request, target, true);
        String node = target.node().name();
        return Flux.defer(() -> {
            SseDecoder sse = new SseDecoder();
            AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
            return http.postStreaming(target.node(), "/messages", body, Map.of())
                    .concatMapIterable(bytes -> decode(sse.feed(bytes), decoder, node))
                    .concatWith(Flux.defer(() -> {
                        List<StreamEvent> tail = new ArrayList<>(decode(sse.finish(), decoder, node));
                        tail.addAll(decoder.finish());
                        return Flux.fromIterable(tail);
                    }));
        });
    }

    @Override
    public Mono<ChatResult> complete(ChatRequest request, Target target) {
        return http.postJson(target.node(), "/messages", body(request, target, false), Map.of())
                .map(AnthropicResponseCodec::decode);
    }

    private byte[] body(ChatRequest r, Target target, boolean stream) {
        ChatRequest request = r.stream() == stream
                ? r
                : new ChatRequest(
                        r.model(),
                        r.system(),
                        r.messages(),
                        r.tools(),
                        r.toolChoice(),
                        r.params(),
                        r.responseFormat(),
                        r.reasoning(),
                        stream,
                        r.user());
        return Json.write(AnthropicRequestEncoder.encode(request, target.upstreamModel(), defaultMaxTokens));
    }

    private static List<StreamEvent> decode(List<SseEvent> events, AnthropicStreamDecoder decoder, String node) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<StreamEvent> out = new ArrayList<>();
        for (SseEvent e : events) {
            JsonNode data = Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8));
            if (data == null || !data.isObject()) {
                continue;
            }
            out.addAll(decoder.decode(data));
            AnthropicStreamDecoder.UpstreamStreamError error = decoder.error();
            if (error != null) {
                throw streamError(error, node);
            }
        }
        return out;
    }

    /** An {@code event: error} of an Anthropic stream, with the status its type stands for. */
    static GatewayException streamError(AnthropicStreamDecoder.UpstreamStreamError error, String node) {
        int status = switch (error.type()) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        return new GatewayException.UpstreamError(
                status, node, "node " + node + ": " + error.type() + " in stream (" + error.message() + ")", 0);
    }
}
