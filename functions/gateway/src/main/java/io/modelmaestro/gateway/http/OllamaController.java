package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.AdminActor;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.security.AdminTokenValidator;
import io.modelmaestro.pipeline.InboundRequest;
import io.modelmaestro.pipeline.OllamaGateway;
import io.modelmaestro.pipeline.OllamaModelAdmin;
import io.modelmaestro.pipeline.OllamaModels;
import io.modelmaestro.pipeline.OutboundResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.InetAddress;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Ollama API. Parse, delegate, render: the work is in {@link OllamaGateway}, {@link OllamaModels} and {@link
 * OllamaModelAdmin}. Inference and listing need a user token; model management (pull, push, create, copy, delete)
 * needs the admin token (application.yml's intercept-url-map, checked here again).
 */
@Controller("/api")
@Tag(name = "Ollama")
public class OllamaController {

    private static final byte[] EMPTY = new byte[0];

    private final OllamaGateway gateway;
    private final OllamaModels models;
    private final OllamaModelAdmin admin;
    private final RequestFactory requests;

    public OllamaController(
            OllamaGateway gateway, OllamaModels models, OllamaModelAdmin admin, RequestFactory requests) {
        this.gateway = gateway;
        this.models = models;
        this.admin = admin;
        this.requests = requests;
    }

    @Post(uri = "/chat", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> chat(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::chat);
    }

    @Post(uri = "/generate", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> generate(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::generate);
    }

    @Post(uri = "/embed", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> embed(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::embed);
    }

    @Post(uri = "/embeddings", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> embeddings(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::legacyEmbeddings);
    }

    @Post(uri = "/show", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> show(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::show);
    }

    @Get(uri = "/tags", produces = MediaType.APPLICATION_JSON)
    Mono<MutableHttpResponse<?>> tags(Authentication auth) {
        return Mono.defer(() -> models.tags(requests.access(auth))).map(Responses::of);
    }

    @Get(uri = "/ps", produces = MediaType.APPLICATION_JSON)
    Mono<MutableHttpResponse<?>> ps() {
        return models.ps().map(Responses::of);
    }

    @Get(uri = "/version", produces = MediaType.APPLICATION_JSON)
    MutableHttpResponse<?> version() {
        return Responses.of(models.version());
    }

    @Post(uri = "/pull", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> pull(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return manage(request, body, auth, admin::pull);
    }

    @Post(uri = "/push", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> push(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return manage(request, body, auth, admin::push);
    }

    @Post(uri = "/create", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> create(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return manage(request, body, auth, admin::create);
    }

    @Post(uri = "/copy", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> copy(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return manage(request, body, auth, admin::copy);
    }

    @Delete(uri = "/delete", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> delete(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return manage(request, body, auth, admin::delete);
    }

    private Mono<MutableHttpResponse<?>> handle(
            HttpRequest<?> request,
            byte @Nullable [] body,
            Authentication auth,
            Function<InboundRequest, Mono<OutboundResponse>> handler) {
        return requests.handle(request, body == null ? EMPTY : body, auth, handler);
    }

    private static Mono<MutableHttpResponse<?>> manage(
            HttpRequest<?> request,
            byte @Nullable [] body,
            Authentication auth,
            Function<OllamaModelAdmin.Command, Mono<OutboundResponse>> handler) {
        return Mono.defer(() -> {
                    if (!auth.getRoles().contains(AdminTokenValidator.ROLE_ADMIN)) {
                        throw new GatewayException.Forbidden("Model management needs the admin token");
                    }
                    InetAddress address = request.getRemoteAddress().getAddress();
                    AdminActor actor =
                            new AdminActor(auth.getName(), address == null ? null : address.getHostAddress());
                    return handler.apply(new OllamaModelAdmin.Command(body == null ? EMPTY : body, actor));
                })
                .map(Responses::of);
    }
}
