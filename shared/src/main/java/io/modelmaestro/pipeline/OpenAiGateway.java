package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.dialect.openai.OpenAiErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.provider.EmbeddingProvider;
import io.modelmaestro.provider.ProviderRegistry;
import io.modelmaestro.provider.openai.OpenAiHttp;
import io.modelmaestro.provider.openai.OpenAiSseRewriter;
import io.modelmaestro.routing.RequestNeeds;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Router;
import io.modelmaestro.routing.Target;
import io.modelmaestro.sse.SseWriter;
import io.modelmaestro.upstream.Primed;
import io.modelmaestro.wire.openai.OpenAiEmbeddings;
import io.modelmaestro.wire.openai.OpenAiRequestDecoder;
import io.modelmaestro.wire.openai.OpenAiResponseCodec;
import io.modelmaestro.wire.openai.OpenAiStreamEncoder;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The OpenAI-compatible surface: {@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings}.
 *
 * <p>When the chosen node speaks the OpenAI wire format, the request body goes up as the client sent it with only
 * the model name replaced, and the answer comes back with only the model name (and Ollama's reasoning field)
 * rewritten: fields the canonical model does not know survive. Otherwise the request goes through the canonical
 * model and the node's {@link ChatProvider}. Either way the body is decoded once up front, which validates it: a
 * malformed request never reaches an upstream.
 */
@Singleton
public class OpenAiGateway {

    private final CatalogService catalog;
    private final Router router;
    private final ProviderRegistry providers;
    private final OpenAiHttp openAi;
    private final ActivityFactory activity;
    private final InstantSource clock;
    private final GatewayConfig config;
    private final boolean passthrough;
    private final Admission admission;

    public OpenAiGateway(
            CatalogService catalog,
            Router router,
            ProviderRegistry providers,
            OpenAiHttp openAi,
            ActivityFactory activity,
            InstantSource clock,
            GatewayConfig config,
            @Value("${maestro.passthrough:true}") boolean passthrough,
            Admission admission) {
        this.catalog = catalog;
        this.router = router;
        this.providers = providers;
        this.openAi = openAi;
        this.activity = activity;
        this.clock = clock;
        this.config = config;
        this.passthrough = passthrough;
        this.admission = admission;
    }

    public Mono<OutboundResponse> chat(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "chat/completions");
        ObjectNode body;
        ChatRequest request;
        Resolution resolution;
        try {
            body = parseObject(in.body());
            rec.modelOf(body);
            request = OpenAiRequestDecoder.decode(body);
            rec.model(request.model());
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(
                            request.model(), catalog.snapshot(), RequestNeeds.of(request, in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        Integer maxTokens = request.params().maxTokens();
        long estimate = in.body().length / 4 + (maxTokens == null ? Admission.DEFAULT_ANSWER_ESTIMATE : maxTokens);
        ObjectNode chatBody = body;
        ChatRequest chatRequest = request;
        Resolution chatResolution = resolution;
        return admitted(in, rec, estimate, () -> routeChat(in, rec, chatBody, chatRequest, chatResolution));
    }

    private Mono<OutboundResponse> routeChat(
            InboundRequest in, ActivityRecorder rec, ObjectNode body, ChatRequest request, Resolution resolution) {
        String display = resolution.displayModel();
        long created = clock.instant().getEpochSecond();
        String fallbackId = "chatcmpl-" + in.requestId().toString().replace("-", "");
        if (request.stream()) {
            rec.streamed();
            boolean clientUsage =
                    body.path("stream_options").path("include_usage").asBoolean(false);
            return router.route(resolution, target -> {
                        Flux<byte[]> frames = usesPassthrough(target)
                                ? passthroughStream(target, "/chat/completions", body, display, clientUsage, rec)
                                : canonicalStream(target, request, display, fallbackId, created, clientUsage, rec);
                        return Primed.prime(frames);
                    })
                    .map(routed -> {
                        rec.routed(routed.target(), routed.attempts());
                        rec.firstByte();
                        return OutboundResponse.stream(
                                OutboundResponse.SSE,
                                Streams.finishing(
                                        router.inFlight()
                                                .track(
                                                        routed.target().node().id(),
                                                        routed.value().all()),
                                        rec,
                                        OpenAiGateway::errorFrames));
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
        }
        return router.route(resolution, target -> {
                    if (usesPassthrough(target)) {
                        body.put("model", target.upstreamModel());
                        return openAi.postJson(target.node(), "/chat/completions", Json.write(body))
                                .map(json -> rewriteUnary(json, display, target, rec));
                    }
                    ChatProvider provider = providers.forType(target.node().type());
                    return provider.complete(request.withModel(target.upstreamModel()), target)
                            .map(result -> {
                                rec.usage(result.usage());
                                return Json.write(OpenAiResponseCodec.encode(result, display, created));
                            });
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    /** {@code /v1/completions}: legacy text completions, passed through to OpenAI-compatible nodes. */
    public Mono<OutboundResponse> completions(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "completions");
        ObjectNode body;
        Resolution resolution;
        boolean stream;
        try {
            body = parseObject(in.body());
            String model = OpenAiRequestDecoder.requiredModel(body);
            rec.model(model);
            JsonNode prompt = body.get("prompt");
            if (prompt == null || prompt.isNull()) {
                throw new GatewayException.InvalidRequest("Missing required parameter: 'prompt'.", "prompt");
            }
            if (!prompt.isTextual() && !prompt.isArray()) {
                throw new GatewayException.InvalidRequest(
                        "Invalid type for 'prompt': expected a string or an array.", "prompt");
            }
            stream = streamFlag(body);
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(model, catalog.snapshot(), RequestNeeds.ofSize(in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        JsonNode maxTokens = body.get("max_tokens");
        long estimate = in.body().length / 4
                + (maxTokens != null && maxTokens.canConvertToLong()
                        ? maxTokens.asLong()
                        : Admission.DEFAULT_ANSWER_ESTIMATE);
        ObjectNode completionBody = body;
        Resolution completionResolution = resolution;
        boolean completionStream = stream;
        return admitted(
                in,
                rec,
                estimate,
                () -> passthroughOnly(in, completionBody, completionResolution, "/completions", completionStream, rec));
    }

    /** {@code /v1/embeddings}, passed through to OpenAI-compatible nodes. */
    public Mono<OutboundResponse> embeddings(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "embeddings");
        ObjectNode body;
        Resolution resolution;
        try {
            body = parseObject(in.body());
            String model = OpenAiRequestDecoder.requiredModel(body);
            rec.model(model);
            JsonNode input = body.get("input");
            if (input == null || input.isNull()) {
                throw new GatewayException.InvalidRequest("Missing required parameter: 'input'.", "input");
            }
            if (!input.isTextual() && !input.isArray()) {
                throw new GatewayException.InvalidRequest(
                        "Invalid type for 'input': expected a string or an array.", "input");
            }
            if (input.isArray() && input.isEmpty()) {
                throw new GatewayException.InvalidRequest("'input' must not be empty.", "input");
            }
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(model, catalog.snapshot(), RequestNeeds.ofSize(in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        ObjectNode embeddingBody = body;
        Resolution embeddingResolution = resolution;
        return admitted(in, rec, in.body().length / 4, () -> routeEmbeddings(embeddingBody, embeddingResolution, rec));
    }

    /**
     * Embeddings: passed through to OpenAI-compatible nodes; node types with an {@link EmbeddingProvider} (Bedrock)
     * get the texts through it and the answer is written in OpenAI's shape.
     */
    private Mono<OutboundResponse> routeEmbeddings(ObjectNode body, Resolution resolution, ActivityRecorder rec) {
        String display = resolution.displayModel();
        return router.route(resolution, target -> {
                    java.util.Optional<EmbeddingProvider> embedder =
                            target.node().type().speaksOpenAi()
                                    ? java.util.Optional.empty()
                                    : providers.embeddings(target.node().type());
                    if (embedder.isPresent()) {
                        boolean base64 = OpenAiEmbeddings.base64(body);
                        return embedder.get()
                                .embed(OpenAiEmbeddings.inputs(body), OpenAiEmbeddings.dimensions(body), target)
                                .map(e -> {
                                    rec.usage(new Usage(e.promptTokens(), 0));
                                    return Json.write(
                                            OpenAiEmbeddings.answer(display, e.vectors(), e.promptTokens(), base64));
                                });
                    }
                    requireOpenAiWire(target, "/embeddings");
                    body.put("model", target.upstreamModel());
                    return openAi.postJson(target.node(), "/embeddings", Json.write(body))
                            .map(json -> rewriteUnary(json, display, target, rec));
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private Mono<OutboundResponse> admitted(
            InboundRequest in, ActivityRecorder rec, long tokenEstimate, Supplier<Mono<OutboundResponse>> work) {
        return admission.admitted(in, rec, tokenEstimate, work, e -> fail(rec, e));
    }

    private Mono<OutboundResponse> passthroughOnly(
            InboundRequest in,
            ObjectNode body,
            Resolution resolution,
            String endpoint,
            boolean stream,
            ActivityRecorder rec) {
        String display = resolution.displayModel();
        if (stream) {
            rec.streamed();
            boolean clientUsage =
                    body.path("stream_options").path("include_usage").asBoolean(false);
            return router.route(resolution, target -> {
                        requireOpenAiWire(target, endpoint);
                        return Primed.prime(passthroughStream(target, endpoint, body, display, clientUsage, rec));
                    })
                    .map(routed -> {
                        rec.routed(routed.target(), routed.attempts());
                        rec.firstByte();
                        return OutboundResponse.stream(
                                OutboundResponse.SSE,
                                Streams.finishing(
                                        router.inFlight()
                                                .track(
                                                        routed.target().node().id(),
                                                        routed.value().all()),
                                        rec,
                                        OpenAiGateway::errorFrames));
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
        }
        return router.route(resolution, target -> {
                    requireOpenAiWire(target, endpoint);
                    body.put("model", target.upstreamModel());
                    return openAi.postJson(target.node(), endpoint, Json.write(body))
                            .map(json -> rewriteUnary(json, display, target, rec));
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private Flux<byte[]> passthroughStream(
            Target target,
            String endpoint,
            ObjectNode body,
            String display,
            boolean clientUsage,
            ActivityRecorder rec) {
        body.put("model", target.upstreamModel());
        if (!clientUsage) {
            // Ask for usage so the activity log has token counts; the rewriter keeps the extra chunk from the client.
            JsonNode options = body.get("stream_options");
            ObjectNode so = options instanceof ObjectNode o ? o : body.putObject("stream_options");
            so.put("include_usage", true);
        }
        OpenAiSseRewriter rewriter =
                new OpenAiSseRewriter(display, !clientUsage, target.node().type() == NodeType.OLLAMA, rec::usage);
        return openAi.postStreaming(target.node(), endpoint, Json.write(body))
                .concatMapIterable(rewriter::feed)
                .concatWith(Flux.defer(() -> Flux.fromIterable(rewriter.finish())));
    }

    private Flux<byte[]> canonicalStream(
            Target target,
            ChatRequest request,
            String display,
            String fallbackId,
            long created,
            boolean clientUsage,
            ActivityRecorder rec) {
        ChatProvider provider = providers.forType(target.node().type());
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(display, fallbackId, created, clientUsage);
        return provider.stream(request.withModel(target.upstreamModel()), target)
                .concatMapIterable(event -> {
                    if (event instanceof StreamEvent.UsageUpdate u) {
                        rec.usage(u.usage());
                    }
                    return encoder.encode(event);
                })
                .concatWith(Flux.defer(() -> Flux.fromIterable(encoder.complete())));
    }

    private static byte[] rewriteUnary(JsonNode json, String display, Target target, ActivityRecorder rec) {
        ObjectNode body = (ObjectNode) json;
        rec.usage(OpenAiResponseCodec.usage(body.get("usage")));
        if (body.has("model")) {
            body.put("model", display);
        }
        if (target.node().type() == NodeType.OLLAMA) {
            for (JsonNode choice : body.path("choices")) {
                if (choice.get("message") instanceof ObjectNode message
                        && message.has("reasoning")
                        && !message.has("reasoning_content")) {
                    message.set("reasoning_content", message.remove("reasoning"));
                }
            }
        }
        return Json.write(body);
    }

    private boolean usesPassthrough(Target target) {
        return passthrough && target.node().type().speaksOpenAi();
    }

    private static void requireOpenAiWire(Target target, String endpoint) {
        if (!target.node().type().speaksOpenAi()) {
            throw new GatewayException.InvalidRequest(
                    "'" + endpoint.substring(1) + "' is not available on node type '"
                            + target.node().type().wireName() + "'",
                    "model");
        }
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

    private static boolean streamFlag(JsonNode body) {
        JsonNode v = body.get("stream");
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new GatewayException.InvalidRequest("Invalid type for 'stream': expected a boolean.", "stream");
        }
        return v.asBoolean();
    }

    static List<byte[]> errorFrames(GatewayException error) {
        return List.of(OpenAiErrors.frame(error), SseWriter.done());
    }

    static OutboundResponse fail(ActivityRecorder rec, GatewayException error) {
        int status = OpenAiErrors.status(error);
        rec.fail(status, error);
        Map<String, String> headers = OpenAiErrors.headers(error);
        return OutboundResponse.json(status, OpenAiErrors.body(error), headers);
    }
}
