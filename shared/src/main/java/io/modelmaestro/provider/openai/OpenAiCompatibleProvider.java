package io.modelmaestro.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.routing.Target;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.wire.openai.OpenAiRequestEncoder;
import io.modelmaestro.wire.openai.OpenAiResponseCodec;
import io.modelmaestro.wire.openai.OpenAiStreamDecoder;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The canonical provider for every node that speaks OpenAI chat-completions: {@code openai}/{@code vllm} nodes, and
 * Ollama nodes through their {@code /v1} compatibility API. Used when the client speaks another dialect (or
 * passthrough is off); OpenAI clients normally take the passthrough path.
 */
@Singleton
public class OpenAiCompatibleProvider implements ChatProvider {

    private final OpenAiHttp http;

    public OpenAiCompatibleProvider(OpenAiHttp http) {
        this.http = http;
    }

    @Override
    public Set<NodeType> nodeTypes() {
        return Set.of(NodeType.OPENAI, NodeType.VLLM, NodeType.OLLAMA);
    }

    @Override
    public Flux<StreamEvent> stream(ChatRequest request, Target target) {
        ChatRequest streaming = request.stream() ? request : withStream(request);
        byte[] body = Json.write(OpenAiRequestEncoder.encode(streaming, target.upstreamModel()));
        return Flux.defer(() -> {
            SseDecoder sse = new SseDecoder();
            OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
            return http.postStreaming(target.node(), "/chat/completions", body)
                    .concatMapIterable(bytes -> decode(sse.feed(bytes), decoder))
                    .concatWith(Flux.defer(() -> {
                        List<StreamEvent> tail = new ArrayList<>(decode(sse.finish(), decoder));
                        tail.addAll(decoder.finish());
                        return Flux.fromIterable(tail);
                    }));
        });
    }

    private static List<StreamEvent> decode(List<SseEvent> events, OpenAiStreamDecoder decoder) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<StreamEvent> out = new ArrayList<>();
        for (SseEvent e : events) {
            String data = e.data().strip();
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonNode chunk = Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
            if (chunk == null || !chunk.isObject()) {
                continue;
            }
            if (chunk.has("error")) {
                throw new io.modelmaestro.core.error.GatewayException.UpstreamError(
                        502,
                        "upstream",
                        "upstream error in stream: "
                                + io.modelmaestro.upstream.UpstreamErrors.message(
                                        data.getBytes(StandardCharsets.UTF_8)),
                        0);
            }
            out.addAll(decoder.decode(chunk));
        }
        return out;
    }

    @Override
    public Mono<ChatResult> complete(ChatRequest request, Target target) {
        ChatRequest unary = request.stream() ? withoutStream(request) : request;
        byte[] body = Json.write(OpenAiRequestEncoder.encode(unary, target.upstreamModel()));
        return http.postJson(target.node(), "/chat/completions", body).map(OpenAiResponseCodec::decode);
    }

    private static ChatRequest withStream(ChatRequest r) {
        return new ChatRequest(
                r.model(),
                r.system(),
                r.messages(),
                r.tools(),
                r.toolChoice(),
                r.params(),
                r.responseFormat(),
                r.reasoning(),
                true,
                r.user());
    }

    private static ChatRequest withoutStream(ChatRequest r) {
        return new ChatRequest(
                r.model(),
                r.system(),
                r.messages(),
                r.tools(),
                r.toolChoice(),
                r.params(),
                r.responseFormat(),
                r.reasoning(),
                false,
                r.user());
    }
}
