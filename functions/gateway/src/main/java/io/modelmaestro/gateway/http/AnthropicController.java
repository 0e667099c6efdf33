package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.modelmaestro.pipeline.AnthropicGateway;
import io.modelmaestro.pipeline.AnthropicModels;
import io.modelmaestro.pipeline.InboundRequest;
import io.modelmaestro.pipeline.OutboundResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Anthropic Messages endpoints, at the root ({@code ANTHROPIC_BASE_URL=http://host:8000}) and under {@code
 * /claude} ({@code ANTHROPIC_BASE_URL=http://host:8000/claude}, as the original product's users configured it).
 * Parse, delegate, render: the work is in {@link AnthropicGateway}. {@code GET /v1/models} answers in Anthropic's
 * shape from {@link OpenAiController} when the request carries {@code anthropic-version}.
 */
@Controller
@Tag(name = "Anthropic")
public class AnthropicController {

    private static final byte[] EMPTY = new byte[0];

    private final AnthropicGateway gateway;
    private final AnthropicModels models;
    private final RequestFactory requests;

    public AnthropicController(AnthropicGateway gateway, AnthropicModels models, RequestFactory requests) {
        this.gateway = gateway;
        this.models = models;
        this.requests = requests;
    }

    @Post(uri = "/v1/messages", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> messages(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::messages);
    }

    @Post(uri = "/claude/v1/messages", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> claudeMessages(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::messages);
    }

    @Post(uri = "/v1/messages/count_tokens", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> countTokens(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::countTokens);
    }

    @Post(uri = "/claude/v1/messages/count_tokens", consumes = MediaType.ALL, produces = MediaType.ALL)
    Mono<MutableHttpResponse<?>> claudeCountTokens(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return handle(request, body, auth, gateway::countTokens);
    }

    @Get(uri = "/claude/v1/models", produces = MediaType.APPLICATION_JSON)
    Mono<MutableHttpResponse<?>> claudeModels(Authentication auth) {
        return Mono.defer(() -> models.list(requests.access(auth))).map(Responses::of);
    }

    /** The {@code /claude} base URL itself answers like {@code /}: Claude Code may probe it (no authentication). */
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(uri = "/claude", produces = MediaType.APPLICATION_JSON)
    Map<String, String> claudeRoot() {
        return Map.of("message", "Model Maestro", "status", "running");
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Head("/claude")
    HttpResponse<?> claudeHead() {
        return HttpResponse.ok();
    }

    private Mono<MutableHttpResponse<?>> handle(
            HttpRequest<?> request,
            byte @Nullable [] body,
            Authentication auth,
            Function<InboundRequest, Mono<OutboundResponse>> handler) {
        return requests.handle(request, body == null ? EMPTY : body, auth, handler);
    }
}
