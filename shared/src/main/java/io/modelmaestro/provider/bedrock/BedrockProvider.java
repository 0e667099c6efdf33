package io.modelmaestro.provider.bedrock;

import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.routing.Target;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * The canonical provider of {@code bedrock} nodes: Converse for unary answers, ConverseStream for streams, through the
 * SDK's async client. Every client dialect reaches Bedrock through this one mapping ({@link CanonicalToConverse},
 * {@link ConverseToCanonical}, {@link ConverseStreamDecoder}); errors become {@code GatewayException}s
 * ({@link BedrockErrors}). A subscriber that cancels (the client went away) cancels the event subscription and the
 * SDK call, which closes the upstream connection.
 */
@Singleton
public class BedrockProvider implements ChatProvider {

    private final BedrockClients clients;

    public BedrockProvider(BedrockClients clients) {
        this.clients = clients;
    }

    @Override
    public Set<NodeType> nodeTypes() {
        return Set.of(NodeType.BEDROCK);
    }

    @Override
    public Mono<ChatResult> complete(ChatRequest request, Target target) {
        Node node = target.node();
        return clients.checkEndpoint(node)
                .then(Mono.defer(() -> {
                    BedrockRuntimeAsyncClient client = clients.runtime(node);
                    var converse = CanonicalToConverse.converse(request, target.upstreamModel());
                    return Mono.fromFuture(() -> client.converse(converse), false);
                }))
                .map(response -> ConverseToCanonical.result(
                        response, messageId(response.responseMetadata().requestId()), target.upstreamModel()))
                .onErrorMap(e -> BedrockErrors.map(e, node.name()));
    }

    @Override
    public Flux<StreamEvent> stream(ChatRequest request, Target target) {
        Node node = target.node();
        return clients.checkEndpoint(node)
                .thenMany(Flux.defer(() -> {
                    ConverseStreamRequest converse =
                            CanonicalToConverse.converseStream(request, target.upstreamModel());
                    return events(clients.runtime(node), converse, target.upstreamModel());
                }))
                .onErrorMap(e -> BedrockErrors.map(e, node.name()));
    }

    private static Flux<StreamEvent> events(
            BedrockRuntimeAsyncClient client, ConverseStreamRequest converse, String model) {
        return Flux.create(
                sink -> {
                    AtomicReference<Subscription> subscription = new AtomicReference<>();
                    AtomicReference<ConverseStreamDecoder> decoder =
                            new AtomicReference<>(new ConverseStreamDecoder(messageId(null), model));
                    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                            .onResponse(response -> decoder.set(new ConverseStreamDecoder(
                                    messageId(response.responseMetadata().requestId()), model)))
                            .onEventStream(publisher -> publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
                                @Override
                                public void onSubscribe(Subscription s) {
                                    subscription.set(s);
                                    if (sink.isCancelled()) {
                                        s.cancel();
                                    } else {
                                        s.request(Long.MAX_VALUE);
                                    }
                                }

                                @Override
                                public void onNext(ConverseStreamOutput event) {
                                    decoder.get().decode(event).forEach(sink::next);
                                }

                                @Override
                                public void onError(Throwable t) {
                                    // Reported once, through the call's future below.
                                }

                                @Override
                                public void onComplete() {
                                    // Completion is reported through the call's future below.
                                }
                            }))
                            .build();
                    CompletableFuture<Void> call = client.converseStream(converse, handler);
                    call.whenComplete((ignored, error) -> {
                        if (error != null) {
                            sink.error(error);
                        } else {
                            decoder.get().finish().forEach(sink::next);
                            sink.complete();
                        }
                    });
                    sink.onDispose(() -> {
                        Subscription s = subscription.get();
                        if (s != null) {
                            s.cancel();
                        }
                        call.cancel(true);
                    });
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    static String messageId(@org.jspecify.annotations.Nullable String requestId) {
        return "msg_bdrk_"
                + (requestId == null || requestId.isBlank()
                        ? java.util.UUID.randomUUID().toString().replace("-", "")
                        : requestId.replace("-", ""));
    }
}
