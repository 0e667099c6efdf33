package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.dialect.gemini.GeminiErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ChatProvider;
import io.modelmaestro.provider.ProviderRegistry;
import io.modelmaestro.routing.RequestNeeds;
import io.modelmaestro.routing.Resolution;
import io.modelmaestro.routing.Router;
import io.modelmaestro.routing.Target;
import io.modelmaestro.upstream.Primed;
import io.modelmaestro.wire.anthropic.AnthropicTokenEstimate;
import io.modelmaestro.wire.gemini.GeminiRequest;
import io.modelmaestro.wire.gemini.GeminiRequestDecoder;
import io.modelmaestro.wire.gemini.GeminiResponseCodec;
import io.modelmaestro.wire.gemini.GeminiStreamEncoder;
import io.modelmaestro.wire.gemini.GeminiStreamFrames;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Gemini API surface: {@code POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent} (SSE
 * with {@code alt=sse}, else a progressively written JSON array) and {@code :countTokens}, also under {@code /gemini}
 * and {@code /v1}.
 *
 * <p>There is no Gemini node type: every request goes through the canonical model and the node's {@link
 * ChatProvider} (Ollama and vLLM through their OpenAI-compatible API, Anthropic through Messages). The body is
 * decoded once up front, which validates it: a malformed request is a 400 in Google's format and never reaches an
 * upstream. On OpenAI-compatible and Ollama nodes the drop rules of {@link AnthropicGateway#forOpenAiNode} apply
 * (earlier reasoning leaves the history; reasoning is asked for only from models whose mapping lists the {@code
 * thinking} or {@code reasoning} capability); on Anthropic nodes earlier thoughts without a signature are dropped
 * (Anthropic refuses unsigned thinking blocks).
 */
@Singleton
public class GeminiGateway {

    private final CatalogService catalog;
    private final Router router;
    private final ProviderRegistry providers;
    private final ActivityFactory activity;
    private final GatewayConfig config;
    private final Admission admission;

    public GeminiGateway(
            CatalogService catalog,
            Router router,
            ProviderRegistry providers,
            ActivityFactory activity,
            GatewayConfig config,
            Admission admission) {
        this.catalog = catalog;
        this.router = router;
        this.providers = providers;
        this.activity = activity;
        this.config = config;
        this.admission = admission;
    }

    /**
     * One call on a model: {@code modelAction} is the path after {@code models/}, e.g. {@code
     * gemini-2.5-flash:generateContent}; {@code alt} is the {@code alt} query parameter.
     */
    public Mono<OutboundResponse> call(InboundRequest in, String modelAction, @Nullable String alt) {
        int colon = modelAction.lastIndexOf(':');
        String action = colon < 0 ? "" : modelAction.substring(colon + 1);
        String model = colon < 0 ? modelAction : decode(modelAction.substring(0, colon));
        return switch (action) {
            case "generateContent" -> generate(in, model, false, false);
            case "streamGenerateContent" -> generate(in, model, true, "sse".equals(alt));
            case "countTokens" -> countTokens(in, model);
            default -> {
                ActivityRecorder rec = activity.start(in, "other");
                rec.model(model);
                yield Mono.just(fail(
                        rec,
                        new GatewayException.NotFound("Method '" + action + "' is not supported on models/" + model
                                + " by this gateway (generateContent, streamGenerateContent, countTokens)")));
            }
        };
    }

    private Mono<OutboundResponse> generate(InboundRequest in, String model, boolean stream, boolean sse) {
        ActivityRecorder rec = activity.start(in, stream ? "streamGenerateContent" : "generateContent");
        rec.model(model);
        GeminiRequest request;
        Resolution resolution;
        try {
            ObjectNode body = JsonBodies.parseObject(in.body(), config.getMaxBodyBytes());
            request = GeminiRequestDecoder.decode(body, model, stream);
            resolution = AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(model, catalog.snapshot(), RequestNeeds.of(request.chat(), in.body().length / 4)));
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        Integer maxTokens = request.chat().params().maxTokens();
        long reserve = AnthropicTokenEstimate.of(request.chat())
                + (maxTokens == null ? Admission.DEFAULT_ANSWER_ESTIMATE : maxTokens);
        GeminiRequest admitted = request;
        Resolution admittedResolution = resolution;
        return admission.admitted(
                in,
                rec,
                reserve,
                () -> stream
                        ? routeStream(in, rec, admitted, admittedResolution, sse)
                        : routeUnary(in, rec, admitted, admittedResolution),
                e -> fail(rec, e));
    }

    private Mono<OutboundResponse> routeUnary(
            InboundRequest in, ActivityRecorder rec, GeminiRequest request, Resolution resolution) {
        String display = resolution.displayModel();
        String responseId = responseId(in);
        return router.route(resolution, target -> {
                    ChatProvider provider = providers.forType(target.node().type());
                    return provider.complete(forNode(request.chat(), target), target)
                            .map(result -> {
                                rec.usage(result.usage());
                                return Json.write(GeminiResponseCodec.encode(
                                        result, display, responseId, request.includeThoughts()));
                            });
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.finish(200, null);
                    return OutboundResponse.json(200, routed.value());
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private Mono<OutboundResponse> routeStream(
            InboundRequest in, ActivityRecorder rec, GeminiRequest request, Resolution resolution, boolean sse) {
        rec.streamed();
        String display = resolution.displayModel();
        String responseId = responseId(in);
        GeminiStreamFrames framing = new GeminiStreamFrames(sse);
        return router.route(resolution, target -> {
                    ChatProvider provider = providers.forType(target.node().type());
                    GeminiStreamEncoder encoder =
                            new GeminiStreamEncoder(display, responseId, request.includeThoughts());
                    Flux<byte[]> frames = provider.stream(forNode(request.chat(), target), target)
                            .concatMapIterable(event -> {
                                if (event instanceof StreamEvent.UsageUpdate u) {
                                    rec.usage(u.usage());
                                }
                                return encoder.encode(event).stream()
                                        .map(framing::frame)
                                        .toList();
                            })
                            .concatWith(Flux.defer(() -> Flux.fromIterable(closing(framing, encoder))));
                    return Primed.prime(frames);
                })
                .map(routed -> {
                    rec.routed(routed.target(), routed.attempts());
                    rec.firstByte();
                    return OutboundResponse.stream(
                            sse ? OutboundResponse.SSE : OutboundResponse.JSON,
                            Streams.finishing(routed.value().all(), rec, e -> errorFrames(framing, e)));
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(rec, e)));
    }

    private static List<byte[]> closing(GeminiStreamFrames framing, GeminiStreamEncoder encoder) {
        List<byte[]> out = new ArrayList<>();
        for (ObjectNode chunk : encoder.complete()) {
            out.add(framing.frame(chunk));
        }
        return out;
    }

    /** After the first byte: the error as one more chunk, in Google's envelope. */
    private static List<byte[]> errorFrames(GeminiStreamFrames framing, GatewayException error) {
        return List.of(framing.frame(GeminiErrors.envelope(error)));
    }

    /**
     * {@code countTokens}: the documented estimate of {@link AnthropicTokenEstimate} over the decoded request (no
     * node counts Gemini's way); the model must exist and be allowed to the caller.
     */
    private Mono<OutboundResponse> countTokens(InboundRequest in, String model) {
        ActivityRecorder rec = activity.start(in, "countTokens");
        rec.model(model);
        long tokens;
        try {
            ObjectNode body = JsonBodies.parseObject(in.body(), config.getMaxBodyBytes());
            GeminiRequest request = GeminiRequestDecoder.decodeForCount(body, model);
            AccessPolicy.apply(
                    in.principal().access(),
                    router.resolve(model, catalog.snapshot(), RequestNeeds.ofSize(in.body().length / 4)));
            tokens = request.chat().messages().isEmpty()
                            && request.chat().system().isEmpty()
                            && request.chat().tools().isEmpty()
                    ? 0
                    : AnthropicTokenEstimate.of(request.chat());
        } catch (GatewayException e) {
            return Mono.just(fail(rec, e));
        }
        ObjectNode out = Json.object();
        out.put("totalTokens", tokens);
        rec.finish(200, null);
        return Mono.just(OutboundResponse.json(200, Json.write(out)));
    }

    /** The canonical request as it should reach this target (see the class comment). */
    static ChatRequest forNode(ChatRequest request, Target target) {
        ChatRequest r = request.withModel(target.upstreamModel());
        if (target.node().type() != NodeType.ANTHROPIC) {
            return AnthropicGateway.forOpenAiNode(r, target.mapping());
        }
        List<Message> messages = new ArrayList<>(r.messages().size());
        for (Message m : r.messages()) {
            List<ContentPart> parts = m.content().stream()
                    .filter(p -> !(p instanceof ContentPart.Reasoning reasoning)
                            || (reasoning.signature() != null
                                    && !reasoning.signature().isEmpty()))
                    .toList();
            if (!parts.isEmpty()) {
                messages.add(new Message(m.role(), parts, m.name()));
            }
        }
        return new ChatRequest(
                r.model(),
                r.system(),
                messages,
                r.tools(),
                r.toolChoice(),
                r.params(),
                r.responseFormat(),
                r.reasoning(),
                r.stream(),
                r.user());
    }

    /**
     * The routes of the Gemini surface: everything under {@code /v1beta} and {@code /gemini}, and {@code
     * /v1/models/{model}:action} (the {@code v1} API version of the SDKs).
     */
    public static boolean isGeminiPath(String path) {
        return path.equals("/v1beta")
                || path.startsWith("/v1beta/")
                || path.equals("/gemini")
                || path.startsWith("/gemini/")
                || (path.startsWith("/v1/models/") && path.indexOf(':', 11) > 0);
    }

    private static String responseId(InboundRequest in) {
        return in.requestId().toString().replace("-", "");
    }

    private static String decode(String model) {
        if (model.indexOf('%') < 0) {
            return model;
        }
        try {
            return URLDecoder.decode(model.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return model;
        }
    }

    static OutboundResponse fail(ActivityRecorder rec, GatewayException error) {
        int status = GeminiErrors.status(error);
        rec.fail(status, error);
        return OutboundResponse.json(status, GeminiErrors.body(error), GeminiErrors.headers(error));
    }
}
