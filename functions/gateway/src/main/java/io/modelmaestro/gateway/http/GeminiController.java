package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.pipeline.GeminiGateway;
import io.modelmaestro.pipeline.GeminiModels;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Gemini API endpoints at {@code /v1beta} (and {@code /v1}, the SDKs' other API version) and under {@code
 * /gemini} ({@code GOOGLE_GEMINI_BASE_URL=http://host:8000/gemini}). Parse, delegate, render: the work is in {@link
 * GeminiGateway} and {@link GeminiModels}. The model and the method share one path segment ({@code
 * models/gemini-2.5-flash:generateContent}); model names may contain slashes ({@code Qwen/Qwen2.5-7B}), so the rest of
 * the path is taken whole and split at its last colon by the gateway. Every route declares {@code produces = ALL}, so
 * any {@code Accept} header (the streaming methods answer SSE) reaches it.
 */
@Controller
public class GeminiController {

    private static final byte[] EMPTY = new byte[0];

    private final GeminiGateway gateway;
    private final GeminiModels models;
    private final RequestFactory requests;

    public GeminiController(GeminiGateway gateway, GeminiModels models, RequestFactory requests) {
        this.gateway = gateway;
        this.models = models;
        this.requests = requests;
    }

    @Post(
            uris = {
                "/v1beta/models/{+modelAction}",
                "/gemini/v1beta/models/{+modelAction}",
                "/gemini/v1/models/{+modelAction}"
            },
            consumes = MediaType.ALL,
            produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> generate(
            HttpRequest<?> request,
            @PathVariable String modelAction,
            @QueryValue @Nullable String alt,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return call(request, modelAction, alt, body, auth);
    }

    @Post(uri = "/v1/models/{+modelAction}", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> v1(
            HttpRequest<?> request,
            @PathVariable String modelAction,
            @QueryValue @Nullable String alt,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return v1Call(request, modelAction, alt, body, auth);
    }

    @Get(
            uris = {"/v1beta/models", "/gemini/v1beta/models"},
            produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> list(Authentication auth) {
        return Mono.defer(() -> models.list(requests.access(auth))).map(Responses::of);
    }

    @Get(
            uris = {"/v1beta/models/{+model}", "/gemini/v1beta/models/{+model}"},
            produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> get(@PathVariable String model, Authentication auth) {
        return Mono.defer(() -> models.get(requests.access(auth), model)).map(Responses::of);
    }

    /**
     * Under {@code /v1} only {@code models/{model}:method} is Gemini's; any other {@code POST /v1/models/...} stays the
     * OpenAI surface's 404.
     */
    private Mono<MutableHttpResponse<?>> v1Call(
            HttpRequest<?> request,
            String modelAction,
            @Nullable String alt,
            byte @Nullable [] body,
            Authentication auth) {
        if (modelAction.indexOf(':') < 0) {
            return Mono.just(ErrorRenderer.render(
                    request, new GatewayException.NotFound("No such endpoint: " + request.getPath())));
        }
        return call(request, modelAction, alt, body, auth);
    }

    private Mono<MutableHttpResponse<?>> call(
            HttpRequest<?> request,
            String modelAction,
            @Nullable String alt,
            byte @Nullable [] body,
            Authentication auth) {
        return requests.handle(request, body == null ? EMPTY : body, auth, in -> gateway.call(in, modelAction, alt));
    }
}
