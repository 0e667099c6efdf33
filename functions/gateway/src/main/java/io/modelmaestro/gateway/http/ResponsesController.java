package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.pipeline.ResponsesGateway;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** OpenAI's Responses API (Codex CLI). Parse, delegate, render: the work is in {@link ResponsesGateway}. */
@Controller("/v1/responses")
public class ResponsesController {

    private static final byte[] EMPTY = new byte[0];

    private final ResponsesGateway gateway;
    private final RequestFactory requests;

    public ResponsesController(ResponsesGateway gateway, RequestFactory requests) {
        this.gateway = gateway;
        this.requests = requests;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> create(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return Mono.defer(() -> gateway.create(requests.inbound(request, body == null ? EMPTY : body, auth)))
                .map(Responses::of);
    }

    @Get(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> retrieve(HttpRequest<?> request, @PathVariable String id, Authentication auth) {
        return Mono.defer(() -> gateway.retrieve(requests.inbound(request, EMPTY, auth), id))
                .map(Responses::of);
    }

    @Delete(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> delete(HttpRequest<?> request, @PathVariable String id, Authentication auth) {
        return Mono.defer(() -> gateway.delete(requests.inbound(request, EMPTY, auth), id))
                .map(Responses::of);
    }
}
