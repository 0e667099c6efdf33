package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.dialect.ollama.OllamaErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.provider.ProviderRegistry;
import io.modelmaestro.provider.ollama.OllamaHttp;
import io.modelmaestro.provider.ollama.OllamaNdjsonRewriter;
import io.modelmaestro.provider.openai.OpenAiHttp;
import io.modelmaestro.routing.RequestNeeds;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Router;
import io.modelmaestro.routing.Target;
import io.modelmaestro.upstream.Primed;
import io.modelmaestro.wire.ollama.OllamaEmbeddings;
import io.modelmaestro.wire.ollama.OllamaRequestDecoder;
import io.modelmaestro.wire.ollama.OllamaResponseEncoder;
import io.modelmaestro.wire.ollama.OllamaShow;
import io.modelmaestro.wire.ollama.OllamaStreamEncoder;
import io.modelmaestro.wire.ollama.OllamaTimings;
import io.modelmaestro.wire.openai.OpenAiResponseCodec;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Ollama surface: {@code /api/chat}, {@code /api/generate}, {@code /api/embed}, {@code /api/embeddings} and
 * {@code /api/show}, in front of any node type.
 *
 * <p>Every body is decoded once up front ({@link OllamaRequestDecoder}), which validates it. When the chosen node is
 * an Ollama node, the client's body goes to the node's own {@code /api/*} endpoint with only {@code model} replaced
 * (plus {@code options.num_ctx} from the mapping's context length when the client set none), and the NDJSON comes
 * back with only {@code model} rewritten. Any other node gets the canonical request through its {@link
 * ChatProvider}, and the canonical answer is encoded as Ollama objects. Failover happens only before the first byte
 * (ADR 0005); after it, an error becomes a final {@code {"error": ...}} line.
 */
@Singleton
public class OllamaGateway {

    private static final Duration MODEL_LIST_TIMEOUT = Duration.ofSeconds(5);

    private final CatalogService catalog;
    private final Router router;
    private final ProviderRegistry providers;
    private final OllamaHttp ollama;
    private final OpenAiHttp openAi;
    private final ActivityFactory activity;
    private final InstantSource clock;
    private final GatewayConfig config;
    private final boolean passthrough;
    private final Admission admission;

    public OllamaGateway(
            CatalogService catalog,
            Router router,
            ProviderRegistry providers,
            OllamaHttp ollama,
            OpenAiHttp openAi,
            ActivityFactory activity,
            InstantSource clock,
            GatewayConfig config,
            @Value("${maestro.passthrough:true}") boolean passthrough,
            Admission admission) {
        this.admission = admission;
        this.catalog = catalog;
        this.router = router;
        this.providers = providers;
        this.ollama = ollama;
        this.openAi = openAi;
        this.activity = activity;
        this.clock = clock;
        this.config = config;
        this.passthrough = passthrough;
    }

    public Mono<OutboundResponse> chat(InboundRequest in) {
        return converse(in, true);
    }

    public Mono<OutboundResponse> generate(InboundRequest in) {
        return converse(in, false);
    }

    private Mono<OutboundResponse> converse(InboundRequest in, boolean chat) {
        ActivityRecorder rec = activity.start(in, chat ? "chat" : "generate");
        Instant start = clock.instant();
        ObjectNode body;
        ChatRequest request;
        Resolution resolution;
        try {
            body = JsonBodies.parseObject(in.body(), config.getMaxBodyBytes());
            rec.modelOf(body);
            request = chat ? OllamaRequestDecoder.decodeChat(body) : OllamaRequestDecoder.decodeGenerate(body);
            rec.model(request.model());
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(
                            request.model(), catalog.snapshot(), RequestNeeds.of(request, in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        Exchange exchange = new Exchange(
                body,
                request,
                resolution.displayModel(),
                chat,
                !OllamaRequestDecoder.thinkingDisabled(body),
                start,
                rec);
        Integer maxTokens = request.params().maxTokens();
        long estimate = in.body().length / 4 + (maxTokens == null ? Admission.DEFAULT_ANSWER_ESTIMATE : maxTokens);
        Resolution admittedResolution = resolution;
        return admission.admitted(
                in, rec, estimate, () -> routeConverse(rec, request, admittedResolution, exchange), e -> fail(rec, e));
    }

    private Mono<OutboundResponse> routeConverse(
            ActivityRecorder rec, ChatRequest request, Resolution resolution, Exchange exchange) {
        if (request.stream()) {
            rec.streamed();
            return router.route(resolution, target -> Primed.prime(streamFrom(target, exchange)))
                    .map(routed -> {
                        rec.routed(routed.target(), routed.attempts());
                        rec.firstByte();
                        return OutboundResponse.stream(
                                OutboundResponse.NDJSON,
                                Streams.finishing(
                                        router.inFlight()
                                                .track(
                                                        routed.target().node().id(),
                                                        routed.value().all()),
                                        rec,
                                        OllamaGateway::errorLines));
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
        }
        return router.route(resolution, target -> unaryFrom(target, exchange))
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    /** One chat or generate request on its way through: what every attempt needs. */
    private record Exchange(
            ObjectNode body,
            ChatRequest request,
            String display,
            boolean chat,
            boolean thinking,
            Instant start,
            ActivityRecorder rec) {

        String endpoint() {
            return chat ? "/api/chat" : "/api/generate";
        }

        /** A request with nothing to answer: Ollama's way of loading a model. */
        boolean load() {
            return request.messages().isEmpty();
        }
    }

    private Flux<byte[]> streamFrom(Target target, Exchange ex) {
        if (nativeOllama(target)) {
            OllamaNdjsonRewriter rewriter = new OllamaNdjsonRewriter(
                    ex.display(), ex.rec()::usage, error -> ex.rec().finish(502, "upstream error in stream: " + error));
            return ollama.postStreaming(target.node(), ex.endpoint(), Json.write(upstreamBody(target, ex.body())))
                    .concatMapIterable(rewriter::feed)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(rewriter.finish())));
        }
        if (ex.load()) {
            return Flux.just(OllamaStreamEncoder.ndjson(
                    OllamaResponseEncoder.load(ex.display(), clock.instant().toString(), ex.chat())));
        }
        ChatProvider provider = providers.forType(target.node().type());
        OllamaStreamEncoder encoder = new OllamaStreamEncoder(ex.display(), ex.chat(), ex.thinking());
        AtomicReference<@Nullable Instant> first = new AtomicReference<>();
        return provider.stream(ex.request().withModel(target.upstreamModel()), target)
                .concatMapIterable(event -> {
                    if (event instanceof StreamEvent.UsageUpdate u) {
                        ex.rec().usage(u.usage());
                    }
                    Instant now = clock.instant();
                    List<byte[]> lines = encoder.encode(event, now.toString());
                    if (!lines.isEmpty()) {
                        first.compareAndSet(null, now);
                    }
                    return lines;
                })
                .concatWith(Flux.defer(() -> {
                    Instant end = clock.instant();
                    return Flux.fromIterable(
                            encoder.complete(end.toString(), streamTimings(ex.start(), first.get(), end)));
                }));
    }

    private Mono<byte[]> unaryFrom(Target target, Exchange ex) {
        if (nativeOllama(target)) {
            return ollama.postJson(target.node(), ex.endpoint(), Json.write(upstreamBody(target, ex.body())))
                    .map(json -> Json.write(OllamaNdjsonRewriter.rewriteObject(
                            (ObjectNode) json, ex.display(), ex.rec()::usage, error -> {})));
        }
        if (ex.load()) {
            return Mono.just(Json.write(
                    OllamaResponseEncoder.load(ex.display(), clock.instant().toString(), ex.chat())));
        }
        ChatProvider provider = providers.forType(target.node().type());
        return provider.complete(ex.request().withModel(target.upstreamModel()), target)
                .map(result -> {
                    ex.rec().usage(result.usage());
                    Instant end = clock.instant();
                    OllamaTimings timings = unaryTimings(ex.start(), end, result.usage());
                    ObjectNode out = ex.chat()
                            ? OllamaResponseEncoder.chat(result, ex.display(), end.toString(), timings, ex.thinking())
                            : OllamaResponseEncoder.generate(
                                    result, ex.display(), end.toString(), timings, ex.thinking());
                    return Json.write(out);
                });
    }

    /**
     * The client's body for an Ollama node: {@code model} replaced by the real name, and the mapping's context length
     * as {@code options.num_ctx} when the client set none (so the node runs with the window {@code /api/show}
     * reports).
     */
    private static ObjectNode upstreamBody(Target target, ObjectNode clientBody) {
        ObjectNode body = clientBody.deepCopy();
        body.put("model", target.upstreamModel());
        body.remove("name");
        ModelMapping mapping = target.mapping();
        if (mapping != null && mapping.contextLength() != null) {
            JsonNode options = body.get("options");
            ObjectNode opts = options instanceof ObjectNode o ? o : body.putObject("options");
            if (!opts.has("num_ctx")) {
                opts.put("num_ctx", mapping.contextLength());
            }
        }
        return body;
    }

    /** {@code /api/embed}. */
    public Mono<OutboundResponse> embed(InboundRequest in) {
        return embeddings(in, false);
    }

    /** {@code /api/embeddings}, the older single-prompt form. */
    public Mono<OutboundResponse> legacyEmbeddings(InboundRequest in) {
        return embeddings(in, true);
    }

    private Mono<OutboundResponse> embeddings(InboundRequest in, boolean legacy) {
        ActivityRecorder rec = activity.start(in, legacy ? "embeddings" : "embed");
        Instant start = clock.instant();
        ObjectNode body;
        OllamaEmbeddings.Request request;
        Resolution resolution;
        try {
            body = JsonBodies.parseObject(in.body(), config.getMaxBodyBytes());
            rec.modelOf(body);
            request = legacy ? OllamaEmbeddings.decodeLegacy(body) : OllamaEmbeddings.decodeEmbed(body);
            rec.model(request.model());
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(request.model(), catalog.snapshot(), RequestNeeds.ofSize(in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        Resolution admittedResolution = resolution;
        return admission.admitted(
                in,
                rec,
                in.body().length / 4,
                () -> routeEmbeddings(rec, body, request, admittedResolution, legacy, start),
                e -> fail(rec, e));
    }

    private Mono<OutboundResponse> routeEmbeddings(
            ActivityRecorder rec,
            ObjectNode body,
            OllamaEmbeddings.Request request,
            Resolution resolution,
            boolean legacy,
            Instant start) {
        String display = resolution.displayModel();
        return router.route(resolution, target -> {
                    if (nativeOllama(target)) {
                        ObjectNode up = body.deepCopy();
                        up.put("model", target.upstreamModel());
                        up.remove("name");
                        return ollama.postJson(target.node(), legacy ? "/api/embeddings" : "/api/embed", Json.write(up))
                                .map(json -> Json.write(OllamaNdjsonRewriter.rewriteObject(
                                        (ObjectNode) json, display, rec::usage, error -> {})));
                    }
                    java.util.Optional<io.modelmaestro.provider.EmbeddingProvider> embedder =
                            target.node().type().speaksOpenAi()
                                    ? java.util.Optional.empty()
                                    : providers.embeddings(target.node().type());
                    if (embedder.isPresent()) {
                        return embedder.get()
                                .embed(request.inputs(), request.dimensions(), target)
                                .map(e -> {
                                    rec.usage(new Usage(e.promptTokens(), 0));
                                    ObjectNode out = legacy
                                            ? OllamaEmbeddings.legacyAnswer(e.vectors())
                                            : OllamaEmbeddings.embedAnswer(
                                                    display, e.vectors(), e.promptTokens(), nanosSince(start));
                                    return Json.write(out);
                                });
                    }
                    if (!target.node().type().speaksOpenAi()) {
                        throw new GatewayException.InvalidRequest(
                                "embeddings are not available on node type '"
                                        + target.node().type().wireName() + "'",
                                "model");
                    }
                    return openAi.postJson(
                                    target.node(),
                                    "/embeddings",
                                    Json.write(OllamaEmbeddings.toOpenAi(request, target.upstreamModel())))
                            .map(answer -> {
                                Usage usage = OpenAiResponseCodec.usage(answer.get("usage"));
                                rec.usage(usage);
                                List<JsonNode> vectors = OllamaEmbeddings.vectorsFromOpenAi(answer);
                                if (vectors.size() != request.inputs().size()) {
                                    throw new GatewayException.UpstreamError(
                                            502,
                                            target.node().name(),
                                            "node " + target.node().name() + ": answered " + vectors.size()
                                                    + " embeddings for "
                                                    + request.inputs().size() + " inputs",
                                            0);
                                }
                                ObjectNode out = legacy
                                        ? OllamaEmbeddings.legacyAnswer(vectors)
                                        : OllamaEmbeddings.embedAnswer(
                                                display, vectors, usage.promptTokens(), nanosSince(start));
                                return Json.write(out);
                            });
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    /**
     * {@code /api/show}: routed to a node that has the model. An Ollama node answers itself; for other nodes the
     * answer is made up, after checking the model is in the node's {@code /v1/models} when that list can be had.
     * Either way the mapping's capabilities and context length win.
     */
    public Mono<OutboundResponse> show(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "show");
        ObjectNode body;
        String model;
        Resolution resolution;
        try {
            body = JsonBodies.parseObject(in.body(), config.getMaxBodyBytes());
            model = OllamaRequestDecoder.requiredModel(body);
            JsonNode verbose = body.get("verbose");
            if (verbose != null && !verbose.isNull() && !verbose.isBoolean()) {
                throw new GatewayException.InvalidRequest("invalid type for 'verbose': expected a boolean", "verbose");
            }
            rec.model(model);
            resolution = AccessPolicy.apply(
                    in.principal().access(), router.resolve(model, catalog.snapshot(), RequestNeeds.NONE));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        return router.route(resolution, target -> {
                    ModelMapping mapping = target.mapping();
                    Integer context = mapping == null ? null : mapping.contextLength();
                    List<String> capabilities = mapping == null ? List.of() : mapping.capabilities();
                    if (target.node().type() == NodeType.OLLAMA) {
                        ObjectNode up = Json.object();
                        up.put("model", target.upstreamModel());
                        if (body.path("verbose").asBoolean(false)) {
                            up.put("verbose", true);
                        }
                        return ollama.postJson(target.node(), "/api/show", Json.write(up))
                                .map(json -> Json.write(OllamaShow.enrich((ObjectNode) json, context, capabilities)));
                    }
                    String now = clock.instant().toString();
                    if (!target.node().type().speaksOpenAi()) {
                        return Mono.just(Json.write(OllamaShow.synthesize(now, context, capabilities)));
                    }
                    return openAi.getJson(target.node(), "/models")
                            .timeout(MODEL_LIST_TIMEOUT)
                            .<byte[]>map(list -> {
                                JsonNode entry = null;
                                for (JsonNode m : list.path("data")) {
                                    if (target.upstreamModel()
                                            .equals(m.path("id").asText())) {
                                        entry = m;
                                    }
                                }
                                if (entry == null) {
                                    throw new GatewayException.UpstreamError(
                                            404,
                                            target.node().name(),
                                            "model '" + resolution.displayModel() + "' not found",
                                            0);
                                }
                                JsonNode len = entry.get("max_model_len");
                                Integer ctx = context != null
                                        ? context
                                        : len != null && len.canConvertToInt() ? Integer.valueOf(len.asInt()) : null;
                                return Json.write(OllamaShow.synthesize(now, ctx, capabilities));
                            })
                            .onErrorResume(
                                    e -> !(e instanceof GatewayException.UpstreamError ue && ue.status() == 404),
                                    e -> Mono.just(Json.write(OllamaShow.synthesize(now, context, capabilities))));
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private boolean nativeOllama(Target target) {
        return passthrough && target.node().type() == NodeType.OLLAMA;
    }

    private long nanosSince(Instant start) {
        return Math.max(0, Duration.between(start, clock.instant()).toNanos());
    }

    /** Streams: prompt evaluation lasts until the first generated line, evaluation the rest. */
    static OllamaTimings streamTimings(Instant start, @Nullable Instant first, Instant end) {
        long total = Math.max(0, Duration.between(start, end).toNanos());
        long promptEval = first == null
                ? total
                : Math.max(0, Duration.between(start, first).toNanos());
        return new OllamaTimings(total, 0, Math.min(promptEval, total), total - Math.min(promptEval, total));
    }

    /** A unary answer gives no first-token time: the total is split between prompt and output by token count. */
    static OllamaTimings unaryTimings(Instant start, Instant end, Usage usage) {
        long total = Math.max(0, Duration.between(start, end).toNanos());
        long tokens = usage.totalTokens();
        long promptEval = tokens <= 0 ? 0 : (long) ((double) total * usage.promptTokens() / tokens);
        return new OllamaTimings(total, 0, promptEval, total - promptEval);
    }

    static List<byte[]> errorLines(GatewayException error) {
        return List.of(OllamaErrors.line(error));
    }

    static OutboundResponse fail(ActivityRecorder rec, GatewayException error) {
        int status = OllamaErrors.status(error);
        rec.fail(status, error);
        return OutboundResponse.json(status, OllamaErrors.body(error), OllamaErrors.headers(error));
    }
}
