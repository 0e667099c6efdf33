package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.activity.RequestIds;
import io.modelmaestro.activity.sqs.SendBeforeResponseEnds;
import io.modelmaestro.auth.Principal;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.UserRecord;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.pipeline.InboundRequest;
import io.modelmaestro.pipeline.OutboundResponse;
import io.modelmaestro.pipeline.SourceResolver;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Builds the pipeline's {@link InboundRequest} from an HTTP request: credential headers are dropped here, so nothing
 * after this point can forward or log them.
 */
@Singleton
public class RequestFactory {

    private static final Set<String> CREDENTIALS =
            Set.of("authorization", "x-api-key", "x-goog-api-key", "cookie", "proxy-authorization");

    private final CatalogService catalog;
    private final RequestIds ids;
    private final @Nullable SendBeforeResponseEnds sendBeforeEnd;

    public RequestFactory(CatalogService catalog, RequestIds ids, @Nullable SendBeforeResponseEnds sendBeforeEnd) {
        this.catalog = catalog;
        this.ids = ids;
        this.sendBeforeEnd = sendBeforeEnd;
    }

    /** The calling user's allowlists (for endpoints that need no {@link InboundRequest}, such as model lists). */
    public io.modelmaestro.catalog.UserAccess access(Authentication auth) {
        return catalog.snapshot()
                .user(auth.getName())
                .orElseThrow(() -> new GatewayException.Unauthenticated("Invalid or expired token"))
                .access();
    }

    /**
     * The one way a model call runs: build the {@link InboundRequest}, hand it to the pipeline, render the answer with
     * the request's id ({@link Responses#withRequestId}). Lazily, so that a failure to build the request is an error
     * signal the error handlers render.
     */
    public Mono<MutableHttpResponse<?>> handle(
            HttpRequest<?> request,
            byte[] body,
            Authentication auth,
            Function<InboundRequest, Mono<OutboundResponse>> handler) {
        return Mono.defer(() -> {
            InboundRequest in = inbound(request, body, auth);
            Mono<OutboundResponse> answer = handler.apply(in);
            SendBeforeResponseEnds send = sendBeforeEnd;
            if (send != null) {
                answer = answer.flatMap(out -> heldUntilSent(out, send));
            }
            return answer.map(out -> Responses.withRequestId(Responses.of(out), request, in.requestId()));
        });
    }

    /**
     * On Lambda the activity event, recorded when the answer is ready or its stream completes, must be in SQS before
     * the response ends ({@link SendBeforeResponseEnds}): a whole answer waits before it is written, a stream after
     * its last frame.
     */
    private static Mono<OutboundResponse> heldUntilSent(OutboundResponse out, SendBeforeResponseEnds send) {
        Flux<byte[]> stream = out.stream();
        if (stream == null) {
            return send.send().thenReturn(out);
        }
        return Mono.just(new OutboundResponse(
                out.status(),
                out.contentType(),
                out.headers(),
                null,
                stream.concatWith(send.send().then(Mono.empty()))));
    }

    public InboundRequest inbound(HttpRequest<?> request, byte[] body, Authentication auth) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CREDENTIALS.contains(lower) && !values.isEmpty()) {
                headers.put(lower, values.get(0));
            }
        });
        UserRecord user = catalog.snapshot()
                .user(auth.getName())
                .orElseThrow(() -> new GatewayException.Unauthenticated("Invalid or expired token"));
        String path = request.getPath();
        return new InboundRequest(
                path,
                headers,
                body,
                new Principal(user.id(), user.username(), user.access(), user.limits()),
                ids.next(),
                SourceResolver.resolve(path, headers));
    }
}
