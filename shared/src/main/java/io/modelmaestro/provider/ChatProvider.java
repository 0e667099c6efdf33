package io.modelmaestro.provider;

import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.routing.Target;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An upstream API spoken through the canonical model. One implementation per wire format; a new provider is one new
 * package with one of these. The request's model is already the upstream's real name ({@link Target#upstreamModel()}).
 *
 * <p>Errors before the first event must be {@code GatewayException}s (the router decides on failover from them).
 */
public interface ChatProvider {

    Set<NodeType> nodeTypes();

    Flux<StreamEvent> stream(ChatRequest request, Target target);

    Mono<ChatResult> complete(ChatRequest request, Target target);
}
