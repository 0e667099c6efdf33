package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.pipeline.AnthropicModels;
import io.modelmaestro.pipeline.OpenAiGateway;
import io.modelmaestro.pipeline.OpenAiModels;
import io.modelmaestro.pipeline.OutboundResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** The OpenAI-compatible endpoints. Parse, delegate, render: the work is in {@link OpenAiGateway}. */
@Controller("/v1")
@Tag(name = "OpenAI")
public class OpenAiController {

    private static final byte[] EMPTY = new byte[0];

    private final OpenAiGateway gateway;
    private final OpenAiModels models;
    private final AnthropicModels anthropicModels;
    private final RequestFactory requests;

    public OpenAiController(
            OpenAiGateway gateway, OpenAiModels models, AnthropicModels anthropicModels, RequestFactory requests) {
        this.gateway = gateway;
        this.models = models;
        this.anthropicModels = anthropicModels;
        this.requests = requests;
    }

    @Post(uri = "/chat/completions", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::chat);
    }

    @Post(uri = "/completions", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> completions(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::completions);
    }

    @Post(uri = "/embeddings", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::embeddings);
    }

    /** OpenAI's list, or Anthropic's when the request carries {@code anthropic-version} (Anthropic SDKs send it). */
    @Get(uri = "/models", produces = MediaType.APPLICATION_JSON)
    Mono<MutableHttpResponse<?>> models(HttpRequest<?> request, Authentication auth) {
        if (request.getHeaders().contains("anthropic-version")) {
            return Mono.defer(() -> anthropicModels.list(requests.access(auth))).map(Responses::of);
        }
        return Mono.defer(() -> models.list(requests.access(auth))).map(Responses::of);
    }

    private Mono<MutableHttpResponse<?>> handle(
            HttpRequest<?> request,
            byte @Nullable [] body,
            Authentication auth,
            Function<io.modelmaestro.pipeline.InboundRequest, Mono<OutboundResponse>> handler) {
        return requests.handle(request, body == null ? EMPTY : body, auth, handler);
    }
}
