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
        return requests.handle(request, body == null ? EMPTY : body, auth, gateway::create);
    }

    @Get(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> retrieve(HttpRequest<?> request, @PathVariable String id, Authentication auth) {
        return requests.handle(request, EMPTY, auth, in -> gateway.retrieve(in, id));
    }

    @Delete(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> delete(HttpRequest<?> request, @PathVariable String id, Authentication auth) {
        return requests.handle(request, EMPTY, auth, in -> gateway.delete(in, id));
    }
}
