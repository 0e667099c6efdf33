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
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.dialect.anthropic.AnthropicErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.provider.ProviderRegistry;
import io.modelmaestro.provider.anthropic.AnthropicHttp;
import io.modelmaestro.provider.anthropic.AnthropicSseRewriter;
import io.modelmaestro.routing.RequestNeeds;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Router;
import io.modelmaestro.routing.Target;
import io.modelmaestro.upstream.Primed;
import io.modelmaestro.wire.anthropic.AnthropicRequestDecoder;
import io.modelmaestro.wire.anthropic.AnthropicResponseCodec;
import io.modelmaestro.wire.anthropic.AnthropicStreamEncoder;
import io.modelmaestro.wire.anthropic.AnthropicTokenEstimate;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Anthropic Messages surface: {@code /v1/messages} and {@code /v1/messages/count_tokens}, also under {@code
 * /claude}.
 *
 * <p>On an {@code anthropic} node the client's body goes up as it was sent, with only {@code model} replaced, and
 * the answer comes back with only {@code model} rewritten (in a stream: in {@code message_start}): thinking, {@code
 * context_management}, {@code output_config}, {@code metadata}, {@code cache_control} and whatever Anthropic adds next
 * survive. On any other node the request goes through the canonical model and the node's {@link ChatProvider}
 * (Ollama and vLLM through their OpenAI-compatible API), after the drop rules of {@link #forOpenAiNode}. Either way
 * the body is decoded once up front, which validates it: a malformed request is a 400 in Anthropic's format and never
 * reaches an upstream.
 *
 * <p>Streams keep Anthropic's event sequence (see {@link AnthropicStreamEncoder}), are kept alive with {@code ping}
 * events when the upstream is silent for {@code maestro.anthropic.ping-interval} (15 s), and end with an {@code event:
 * error} frame when the upstream fails after the first byte.
 */
@Singleton
public class AnthropicGateway {

    /** Claude Code's billing line in the system prompt: changes per request and defeats prefix caches downstream. */
    private static final Pattern BILLING_HEADER = Pattern.compile("x-anthropic-billing-header:[^\\n]*\\n*");

    private final CatalogService catalog;
    private final Router router;
    private final ProviderRegistry providers;
    private final AnthropicHttp anthropic;
    private final ActivityFactory activity;
    private final GatewayConfig config;
    private final boolean passthrough;
    private final Duration pingInterval;

    private final Admission admission;

    public AnthropicGateway(
            CatalogService catalog,
            Router router,
            ProviderRegistry providers,
            AnthropicHttp anthropic,
            ActivityFactory activity,
            GatewayConfig config,
            @Value("${maestro.passthrough:true}") boolean passthrough,
            @Value("${maestro.anthropic.ping-interval:15s}") Duration pingInterval,
            Admission admission) {
        this.catalog = catalog;
        this.router = router;
        this.providers = providers;
        this.anthropic = anthropic;
        this.activity = activity;
        this.config = config;
        this.passthrough = passthrough;
        this.pingInterval = pingInterval;
        this.admission = admission;
    }

    public Mono<OutboundResponse> messages(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "messages");
        ObjectNode body;
        ChatRequest request;
        Resolution resolution;
        try {
            body = parseObject(in.body());
            rec.modelOf(body);
            request = AnthropicRequestDecoder.decode(body);
            rec.model(request.model());
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    resolve(request.model(), in.path(), RequestNeeds.of(request, AnthropicTokenEstimate.of(request))));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        ObjectNode admittedBody = body;
        ChatRequest admittedRequest = request;
        Resolution admittedResolution = resolution;
        Integer maxTokens = request.params().maxTokens();
        long reserve = AnthropicTokenEstimate.of(request)
                + (maxTokens == null ? Admission.DEFAULT_ANSWER_ESTIMATE : maxTokens);
        return admission.admitted(
                in,
                rec,
                reserve,
                () -> routeMessages(in, rec, admittedBody, admittedRequest, admittedResolution),
                e -> fail(rec, e));
    }

    private Mono<OutboundResponse> routeMessages(
            InboundRequest in, ActivityRecorder rec, ObjectNode body, ChatRequest request, Resolution resolution) {
        String display = resolution.displayModel();
        String messageId = "msg_" + in.requestId().toString().replace("-", "");
        Map<String, String> clientHeaders = anthropicHeaders(in);
        if (request.stream()) {
            rec.streamed();
            long estimate = AnthropicTokenEstimate.of(request);
            return router.route(resolution, target -> {
                        Flux<byte[]> frames = usesPassthrough(target)
                                ? passthroughStream(target, body, display, clientHeaders, rec)
                                : canonicalStream(target, request, display, messageId, estimate, rec);
                        return Primed.prime(frames);
                    })
                    .map(routed -> {
                        rec.routed(routed.target(), routed.attempts());
                        rec.firstByte();
                        return OutboundResponse.stream(
                                OutboundResponse.SSE,
                                Streams.finishing(
                                        keepalive(
                                                router.inFlight()
                                                        .track(
                                                                routed.target()
                                                                        .node()
                                                                        .id(),
                                                                routed.value().all()),
                                                pingInterval),
                                        rec,
                                        AnthropicGateway::errorFrames));
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
        }
        return router.route(resolution, target -> {
                    if (usesPassthrough(target)) {
                        body.put("model", target.upstreamModel());
                        return anthropic
                                .postJson(target.node(), "/messages", Json.write(body), clientHeaders)
                                .map(json -> rewriteUnary(json, display, rec));
                    }
                    ChatProvider provider = providers.forType(target.node().type());
                    return provider.complete(forNode(request, target), target).map(result -> {
                        rec.usage(result.usage());
                        return Json.write(AnthropicResponseCodec.encode(result, display, messageId));
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
     * {@code count_tokens}: when the model is served by {@code anthropic} nodes first, their exact count (the
     * client's body, model replaced); otherwise, or when they fail, the documented estimate of {@link
     * AnthropicTokenEstimate}.
     */
    public Mono<OutboundResponse> countTokens(InboundRequest in) {
        ActivityRecorder rec = activity.start(in, "messages/count_tokens");
        ObjectNode body;
        ChatRequest request;
        Resolution resolution;
        try {
            body = parseObject(in.body());
            rec.modelOf(body);
            request = AnthropicRequestDecoder.decodeForCount(body);
            rec.model(request.model());
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    resolve(request.model(), in.path(), RequestNeeds.of(request, AnthropicTokenEstimate.of(request))));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        byte[] estimate = countBody(AnthropicTokenEstimate.of(request));
        List<Target> order;
        try {
            order = router.plan(resolution);
        } catch (GatewayException e) {
            order = List.of();
        }
        if (order.isEmpty() || order.get(0).node().type() != NodeType.ANTHROPIC) {
            rec.finish(200, null);
            return Mono.just(OutboundResponse.json(200, estimate));
        }
        List<Target> anthropicTargets = order.stream()
                .filter(t -> t.node().type() == NodeType.ANTHROPIC)
                .toList();
        Map<String, String> clientHeaders = anthropicHeaders(in);
        return router.route(
                        new Resolution(resolution.displayModel(), anthropicTargets, resolution.pinned()), target -> {
                            body.put("model", target.upstreamModel());
                            return anthropic.postJson(
                                    target.node(), "/messages/count_tokens", Json.write(body), clientHeaders);
                        })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    JsonNode tokens = routed.value().get("input_tokens");
                    return OutboundResponse.json(
                            200, tokens != null && tokens.isNumber() ? countBody(tokens.asLong()) : estimate);
                })
                .onErrorResume(GatewayException.class, e -> {
                    rec.finish(200, "estimated: " + e.getMessage());
                    return Mono.just(OutboundResponse.json(200, estimate));
                });
    }

    private static byte[] countBody(long tokens) {
        ObjectNode out = Json.object();
        out.put("input_tokens", tokens);
        return Json.write(out);
    }

    /**
     * The client's model name resolved. Under {@code /claude}, a name the catalog does not know loses a leading
     * {@code claude-} and is tried again (the original product listed its models with that prefix there); the
     * client still sees the name it sent.
     */
    private Resolution resolve(String model, String path, RequestNeeds needs) {
        try {
            return router.resolve(model, catalog.snapshot(), needs);
        } catch (GatewayException.NotFound e) {
            if (path.startsWith("/claude/") && model.startsWith("claude-") && model.length() > 7) {
                try {
                    return router.resolve(model.substring(7), catalog.snapshot(), needs)
                            .withDisplayModel(model);
                } catch (GatewayException.NotFound ignored) {
                    throw e;
                }
            }
            throw e;
        }
    }

    private Flux<byte[]> passthroughStream(
            Target target, ObjectNode body, String display, Map<String, String> clientHeaders, ActivityRecorder rec) {
        body.put("model", target.upstreamModel());
        AnthropicSseRewriter rewriter = new AnthropicSseRewriter(
                display, target.node().name(), rec::usage, e -> rec.fail(AnthropicErrors.status(e), e));
        return anthropic
                .postStreaming(target.node(), "/messages", Json.write(body), clientHeaders)
                .concatMapIterable(rewriter::feed)
                .concatWith(Flux.defer(() -> Flux.fromIterable(rewriter.finish())));
    }

    private Flux<byte[]> canonicalStream(
            Target target, ChatRequest request, String display, String messageId, long estimate, ActivityRecorder rec) {
        ChatProvider provider = providers.forType(target.node().type());
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder(display, messageId, estimate);
        return provider.stream(forNode(request, target), target)
                .concatMapIterable(event -> {
                    if (event instanceof StreamEvent.UsageUpdate u) {
                        rec.usage(u.usage());
                    }
                    return encoder.encode(event);
                })
                .concatWith(Flux.defer(() -> Flux.fromIterable(encoder.complete())));
    }

    private static byte[] rewriteUnary(JsonNode json, String display, ActivityRecorder rec) {
        ObjectNode body = (ObjectNode) json;
        rec.usage(AnthropicResponseCodec.usage(body.get("usage")));
        if (body.has("model")) {
            body.put("model", display);
        }
        return Json.write(body);
    }

    private boolean usesPassthrough(Target target) {
        return passthrough && target.node().type() == NodeType.ANTHROPIC;
    }

    /** The canonical request as it should reach this target: unchanged for Anthropic, else after the drop rules. */
    private static ChatRequest forNode(ChatRequest request, Target target) {
        ChatRequest r = request.withModel(target.upstreamModel());
        return target.node().type() == NodeType.ANTHROPIC ? r : forOpenAiNode(r, target.mapping());
    }

    /**
     * The drop rules for OpenAI-compatible and Ollama nodes (docs/providers/anthropic.md), so that nothing an
     * Anthropic client sends breaks a server that cannot use it:
     *
     * <ul>
     *   <li>Claude Code's {@code x-anthropic-billing-header} line leaves the system prompt;
     *   <li>earlier thinking blocks leave the history (they are Anthropic-signed, and replaying them corrupts other
     *       models' turns);
     *   <li>blocks without an OpenAI form (documents other than plain text, redacted thinking, server tool results)
     *       are dropped; a plain-text document becomes text;
     *   <li>{@code thinking} becomes {@code reasoning_effort} only for a model whose mapping lists the {@code
     *       thinking} or {@code reasoning} capability: OpenAI refuses the parameter for other models and Ollama
     *       refuses thinking for them. A model that reasons anyway still does, and its reasoning comes back as
     *       thinking blocks.
     * </ul>
     */
    static ChatRequest forOpenAiNode(ChatRequest r, @Nullable ModelMapping mapping) {
        List<ContentPart> system = new ArrayList<>();
        for (ContentPart p : r.system()) {
            if (p instanceof ContentPart.Text t) {
                String text = BILLING_HEADER.matcher(t.text()).replaceAll("").strip();
                if (!text.isEmpty()) {
                    system.add(new ContentPart.Text(text));
                }
            }
        }
        List<Message> messages = new ArrayList<>(r.messages().size());
        for (Message m : r.messages()) {
            List<ContentPart> parts = new ArrayList<>(m.content().size());
            for (ContentPart p : m.content()) {
                switch (p) {
                    case ContentPart.Reasoning reasoning -> {}
                    case ContentPart.Unknown u -> {
                        String text = plainTextDocument(u);
                        if (text != null) {
                            parts.add(new ContentPart.Text(text));
                        }
                    }
                    default -> parts.add(p);
                }
            }
            if (!parts.isEmpty() || m.role() != Role.ASSISTANT) {
                messages.add(new Message(m.role(), parts, m.name()));
            }
        }
        boolean reasons = mapping != null
                && mapping.capabilities().stream()
                        .map(c -> c.toLowerCase(Locale.ROOT))
                        .anyMatch(c -> c.equals("thinking") || c.equals("reasoning"));
        return new ChatRequest(
                r.model(),
                system,
                messages,
                r.tools(),
                r.toolChoice(),
                r.params(),
                r.responseFormat(),
                reasons ? r.reasoning() : null,
                r.stream(),
                r.user());
    }

    private static @Nullable String plainTextDocument(ContentPart.Unknown u) {
        if (!"document".equals(u.type())) {
            return null;
        }
        JsonNode source = u.raw().path("source");
        return "text".equals(source.path("type").asText()) ? Json.text(source, "data") : null;
    }

    /** The Anthropic headers of the client that go to an {@code anthropic} node. */
    private static Map<String, String> anthropicHeaders(InboundRequest in) {
        Map<String, String> out = new HashMap<>();
        for (String name : List.of(AnthropicHttp.VERSION_HEADER, AnthropicHttp.BETA_HEADER)) {
            String value = in.headers().get(name);
            if (value != null && !value.isBlank()) {
                out.put(name, value);
            }
        }
        return out;
    }

    /**
     * Sends Anthropic's {@code ping} whenever {@code frames} has been silent for {@code every}: long prompt
     * processing or a tool call being generated must not look like a dead connection to the client or a proxy.
     */
    static Flux<byte[]> keepalive(Flux<byte[]> frames, Duration every) {
        return frames.publish(shared -> Flux.merge(
                shared,
                shared.map(f -> 0L)
                        .startWith(0L)
                        .switchMap(x -> Flux.interval(every, every).map(i -> AnthropicStreamEncoder.ping()))
                        .takeUntilOther(shared.then().onErrorResume(e -> Mono.empty()))
                        .onErrorResume(e -> Flux.empty())));
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

    static List<byte[]> errorFrames(GatewayException error) {
        return List.of(AnthropicErrors.frame(error));
    }

    static OutboundResponse fail(ActivityRecorder rec, GatewayException error) {
        int status = AnthropicErrors.status(error);
        rec.fail(status, error);
        return OutboundResponse.json(status, AnthropicErrors.body(error), AnthropicErrors.headers(error));
    }
}
