package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.dialect.openai.OpenAiErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.provider.ProviderRegistry;
import io.modelmaestro.provider.openai.OpenAiHttp;
import io.modelmaestro.provider.openai.ResponsesSseRewriter;
import io.modelmaestro.routing.RequestNeeds;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Router;
import io.modelmaestro.routing.Target;
import io.modelmaestro.upstream.Primed;
import io.modelmaestro.wire.responses.ResponsesRequest;
import io.modelmaestro.wire.responses.ResponsesRequestDecoder;
import io.modelmaestro.wire.responses.ResponsesResponseCodec;
import io.modelmaestro.wire.responses.ResponsesStreamEncoder;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Responses API surface ({@code /v1/responses}, what Codex CLI speaks), an inbound dialect through the canonical
 * model like {@link OpenAiGateway}: the body is decoded once (the validator), the model resolved, access and daily
 * limits applied, and the request routed with failover before the first byte to any node type through its {@link
 * ChatProvider}; {@code ResponsesStreamEncoder} writes OpenAI's exact event sequence. A model whose mapping lists the
 * {@code responses} capability on an OpenAI-compatible node is passed through to the node's own {@code
 * /v1/responses} (model replaced). The gateway keeps the conversation state itself ({@link ResponseStore}): {@code
 * previous_response_id} is expanded into input items here, on every path. ADR 0014, docs/responses.md.
 */
@Singleton
public class ResponsesGateway {

    /** The mapping capability that sends a model's Responses requests to the node's own {@code /v1/responses}. */
    public static final String CAPABILITY = "responses";

    private final CatalogService catalog;
    private final Router router;
    private final ProviderRegistry providers;
    private final OpenAiHttp openAi;
    private final ActivityFactory activity;
    private final InstantSource clock;
    private final GatewayConfig config;
    private final boolean passthrough;
    private final Admission admission;
    private final ResponseStore store;

    /** One routed stream attempt: its frames and how to end it in-band when it breaks after the first byte. */
    private record StreamAttempt(Primed<byte[]> primed, Function<GatewayException, List<byte[]>> failed) {}

    public ResponsesGateway(
            CatalogService catalog,
            Router router,
            ProviderRegistry providers,
            OpenAiHttp openAi,
            ActivityFactory activity,
            InstantSource clock,
            GatewayConfig config,
            @Value("${maestro.passthrough:true}") boolean passthrough,
            Admission admission,
            ResponseStore store) {
        this.catalog = catalog;
        this.router = router;
        this.providers = providers;
        this.openAi = openAi;
        this.activity = activity;
        this.clock = clock;
        this.config = config;
        this.passthrough = passthrough;
        this.admission = admission;
        this.store = store;
    }

    /** {@code POST /v1/responses}. */
    public Mono<OutboundResponse> create(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "responses");
        ObjectNode body;
        ResponsesRequest request;
        Resolution resolution;
        try {
            body = parseObject(in.body());
            rec.model(ResponsesRequestDecoder.requiredModel(body));
            String previous = ResponsesRequestDecoder.previousResponseId(body);
            List<JsonNode> history = List.of();
            if (previous != null) {
                history = store.get(in.principal().userId(), previous)
                        .orElseThrow(() -> new GatewayException.InvalidRequest(
                                "Previous response with id '" + previous + "' not found.", "previous_response_id"))
                        .history();
            }
            request = ResponsesRequestDecoder.decode(body, history);
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(
                            request.chat().model(),
                            catalog.snapshot(),
                            RequestNeeds.of(request.chat(), in.body().length / 4)));
            resolution = forBuiltinTools(request, resolution, body);
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        Integer maxTokens = request.chat().params().maxTokens();
        long estimate = in.body().length / 4 + (maxTokens == null ? Admission.DEFAULT_ANSWER_ESTIMATE : maxTokens);
        ObjectNode admittedBody = body;
        ResponsesRequest admittedRequest = request;
        Resolution admittedResolution = resolution;
        return admission.admitted(
                in,
                rec,
                estimate,
                () -> route(in, rec, admittedBody, admittedRequest, admittedResolution),
                e -> fail(rec, e));
    }

    /** {@code GET /v1/responses/{id}}: a stored response of the calling user. */
    public Mono<OutboundResponse> retrieve(InboundRequest in, String id) {
        ActivityRecorder rec = activity.start(in, "responses/retrieve");
        return Mono.just(store.get(in.principal().userId(), id)
                .map(stored -> {
                    rec.model(stored.response().path("model").asText("unknown"));
                    rec.finish(200, null);
                    return OutboundResponse.json(200, Json.write(stored.response()));
                })
                .orElseGet(() -> fail(rec, notFound(id))));
    }

    /** {@code DELETE /v1/responses/{id}}. */
    public Mono<OutboundResponse> delete(InboundRequest in, String id) {
        ActivityRecorder rec = activity.start(in, "responses/delete");
        if (!store.delete(in.principal().userId(), id)) {
            return Mono.just(fail(rec, notFound(id)));
        }
        rec.finish(200, null);
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("object", "response");
        out.put("deleted", true);
        return Mono.just(OutboundResponse.json(200, Json.write(out)));
    }

    private static GatewayException notFound(String id) {
        return new GatewayException.NotFound("Response with id '" + id + "' not found.");
    }

    /**
     * OpenAI-hosted tools (web_search, file_search, ...) run only where the node serves the Responses API itself:
     * the candidates shrink to those, and with none left the request is refused naming the tool.
     */
    private Resolution forBuiltinTools(ResponsesRequest request, Resolution resolution, ObjectNode body) {
        if (request.builtinTools().isEmpty()) {
            return resolution;
        }
        List<Target> able =
                resolution.candidates().stream().filter(this::usesPassthrough).toList();
        if (!able.isEmpty()) {
            return new Resolution(resolution.displayModel(), able, resolution.pinned());
        }
        String tool = request.builtinTools().get(0);
        int index = 0;
        JsonNode tools = body.path("tools");
        for (int i = 0; i < tools.size(); i++) {
            if (tool.equals(tools.get(i).path("type").asText())) {
                index = i;
                break;
            }
        }
        throw new GatewayException.InvalidRequest(
                "Tool type '" + tool + "' is not supported for model '" + resolution.displayModel()
                        + "': the gateway's upstreams cannot run OpenAI's hosted tools. Use function tools.",
                "tools[" + index + "].type");
    }

    private Mono<OutboundResponse> route(
            InboundRequest in, ActivityRecorder rec, ObjectNode body, ResponsesRequest request, Resolution resolution) {
        String display = resolution.displayModel();
        String id = "resp_" + in.requestId().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        long userId = in.principal().userId();
        boolean summaries = ResponsesRequestDecoder.wantsSummary(request.echo());
        if (request.chat().stream()) {
            rec.streamed();
            return router.route(
                            resolution,
                            target -> usesPassthrough(target)
                                    ? passthroughStream(target, body, request, display, userId, rec)
                                    : canonicalStream(target, request, id, display, created, summaries, userId, rec))
                    .map(routed -> {
                        rec.routed(routed.target(), routed.attempts());
                        rec.firstByte();
                        StreamAttempt attempt = routed.value();
                        return OutboundResponse.stream(
                                OutboundResponse.SSE,
                                Streams.finishing(attempt.primed().all(), rec, attempt.failed()));
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
        }
        return router.route(resolution, target -> {
                    if (usesPassthrough(target)) {
                        return openAi.postJson(target.node(), "/responses", upstreamBody(target, body, request, false))
                                .map(json -> {
                                    ObjectNode response = (ObjectNode) json;
                                    if (response.has("model")) {
                                        response.put("model", display);
                                    }
                                    rec.usage(ResponsesResponseCodec.usage(response.get("usage")));
                                    remember(userId, request, response);
                                    return Json.write(response);
                                });
                    }
                    ChatProvider provider = providers.forType(target.node().type());
                    return provider.complete(forNode(request.chat(), target), target)
                            .map(result -> {
                                rec.usage(result.usage());
                                ObjectNode response =
                                        ResponsesResponseCodec.encode(result, request, id, display, created, summaries);
                                remember(userId, request, response);
                                return Json.write(response);
                            });
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private Mono<StreamAttempt> canonicalStream(
            Target target,
            ResponsesRequest request,
            String id,
            String display,
            long created,
            boolean summaries,
            long userId,
            ActivityRecorder rec) {
        ChatProvider provider = providers.forType(target.node().type());
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(request, id, display, created, summaries);
        Flux<byte[]> frames = provider.stream(forNode(request.chat(), target), target)
                .concatMapIterable(event -> {
                    if (event instanceof StreamEvent.UsageUpdate u) {
                        rec.usage(u.usage());
                    }
                    return encoder.encode(event);
                })
                .concatWith(Flux.defer(() -> {
                    List<byte[]> tail = encoder.complete();
                    remember(userId, request, encoder.response());
                    return Flux.fromIterable(tail);
                }));
        return Primed.prime(frames).map(p -> new StreamAttempt(p, encoder::failed));
    }

    private Mono<StreamAttempt> passthroughStream(
            Target target,
            ObjectNode body,
            ResponsesRequest request,
            String display,
            long userId,
            ActivityRecorder rec) {
        ResponsesSseRewriter rewriter =
                new ResponsesSseRewriter(display, rec::usage, response -> remember(userId, request, response));
        Flux<byte[]> frames = openAi.postStreaming(
                        target.node(), "/responses", upstreamBody(target, body, request, true))
                .concatMapIterable(rewriter::feed)
                .concatWith(Flux.defer(() -> Flux.fromIterable(rewriter.finish())));
        return Primed.prime(frames).map(p -> new StreamAttempt(p, rewriter::failed));
    }

    /**
     * The client's body for a node's own {@code /v1/responses}: the model replaced and, when the client continued an
     * earlier response, {@code previous_response_id} replaced by the items it stood for (the gateway, not the node,
     * holds the conversation). Replayed items lose their ids, and replayed reasoning items without {@code
     * encrypted_content} are left out: the node may never have stored them.
     */
    private static byte[] upstreamBody(Target target, ObjectNode body, ResponsesRequest request, boolean stream) {
        ObjectNode up = body.deepCopy();
        up.put("model", target.upstreamModel());
        up.put("stream", stream);
        if (up.has("previous_response_id")) {
            up.remove("previous_response_id");
            int own = body.get("input") instanceof ArrayNode a ? a.size() : 1;
            int historySize = request.input().size() - own;
            ArrayNode input = up.putArray("input");
            for (int i = 0; i < request.input().size(); i++) {
                JsonNode item = request.input().get(i);
                if (i < historySize && item instanceof ObjectNode o) {
                    if ("reasoning".equals(o.path("type").asText()) && !o.hasNonNull("encrypted_content")) {
                        continue;
                    }
                    if (!"reasoning".equals(o.path("type").asText())) {
                        ObjectNode copy = o.deepCopy();
                        copy.remove("id");
                        input.add(copy);
                        continue;
                    }
                }
                input.add(item);
            }
        }
        return Json.write(up);
    }

    private void remember(long userId, ResponsesRequest request, ObjectNode response) {
        if (request.store()) {
            store.put(userId, response.deepCopy(), request.input());
        }
    }

    private boolean usesPassthrough(Target target) {
        ModelMapping mapping = target.mapping();
        return passthrough
                && target.node().type().speaksOpenAi()
                && mapping != null
                && mapping.capabilities().stream()
                        .anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(CAPABILITY));
    }

    /** The canonical request for a node: only the model name changes. */
    private static ChatRequest forNode(ChatRequest request, Target target) {
        return request.withModel(target.upstreamModel());
    }

    private ObjectNode parseObject(byte[] bytes) {
        if (bytes.length > config.getMaxBodyBytes()) {
            throw new GatewayException.PayloadTooLarge(
                    "Request body is larger than " + config.getMaxBodyBytes() + " bytes");
        }
        JsonNode node;
        try {
            node = Json.parse(bytes);
        } catch (MalformedJsonException e) {
            throw new GatewayException.InvalidRequest(
                    "We could not parse the JSON body of your request. " + e.getMessage(), null);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
        return object;
    }

    static OutboundResponse fail(ActivityRecorder rec, GatewayException error) {
        int status = OpenAiErrors.status(error);
        rec.fail(status, error);
        return OutboundResponse.json(status, OpenAiErrors.body(error), OpenAiErrors.headers(error));
    }
}
