package io.modelmaestro.gateway.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivitySink;
import io.modelmaestro.activity.RequestIds;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.gateway.http.ErrorRenderer;
import io.modelmaestro.gateway.http.Responses;
import io.modelmaestro.pipeline.GeminiGateway;
import io.modelmaestro.pipeline.SourceResolver;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Security rejections in the caller's error format: 401 for a missing or invalid credential, 403 for a valid one
 * that may not use the route (a user token on the admin API, the admin token on the LLM API). A refused call to an
 * LLM endpoint still leaves its activity row (no user, model "unknown", the error class), so the log shows every
 * request, accepted or not; the rejected credential itself is never recorded.
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrorHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    private final ActivitySink activity;
    private final InstantSource clock;
    private final RequestIds ids;

    public AuthorizationErrorHandler(ActivitySink activity, InstantSource clock, RequestIds ids) {
        this.activity = activity;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        return render(request, exception);
    }

    public MutableHttpResponse<?> render(HttpRequest<?> request, AuthorizationException exception) {
        GatewayException error = error(request, exception);
        UUID id = record(request, error);
        MutableHttpResponse<?> response = ErrorRenderer.render(request, error);
        return id == null ? response : Responses.withRequestId(response, request, id);
    }

    private static GatewayException error(HttpRequest<?> request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            String message = ErrorRenderer.isAdmin(request)
                    ? "Invalid admin token"
                    : "This token may not use " + request.getPath();
            return new GatewayException.Forbidden(message);
        }
        boolean presented = request.getHeaders().contains("authorization")
                || request.getHeaders().contains("x-api-key")
                || GoogleApiKeyTokenReader.presented(request);
        String message;
        if (presented) {
            message = "Invalid or expired token";
        } else if (GeminiGateway.isGeminiPath(request.getPath())) {
            message =
                    "Missing API key: send 'x-goog-api-key: <token>', 'Authorization: Bearer <token>' or ?key=<token>";
        } else {
            message = "Missing authorization header: send 'Authorization: Bearer <token>' or 'x-api-key: <token>'";
        }
        return new GatewayException.Unauthenticated(message);
    }

    /** Records the refusal of an LLM call and returns its request id; null for any other route (nothing recorded). */
    private @Nullable UUID record(HttpRequest<?> request, GatewayException error) {
        String path = request.getPath();
        boolean llm = path.startsWith("/v1/")
                || path.startsWith("/api/")
                || path.startsWith("/claude/")
                || GeminiGateway.isGeminiPath(path);
        if (!llm || ErrorRenderer.isAdmin(request)) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        String ua = request.getHeaders().get("user-agent");
        if (ua != null) {
            headers.put("user-agent", ua);
        }
        String client = request.getHeaders().get("x-maestro-client");
        if (client != null) {
            headers.put("x-maestro-client", client);
        }
        int status = HttpStatusMapping.statusFor(error);
        UUID id = ids.next();
        activity.accept(new ActivityEvent(
                id,
                null,
                null,
                "unknown",
                null,
                null,
                requestType(path),
                SourceResolver.resolve(path, headers),
                path.length() > 500 ? path.substring(0, 500) : path,
                status,
                0,
                0,
                0,
                null,
                false,
                0,
                error.getMessage(),
                clock.instant(),
                clientFormat(path),
                null,
                0,
                error.getClass().getSimpleName()));
        return id;
    }

    private static String requestType(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(":streamgeneratecontent")) {
            return "streamGenerateContent";
        }
        if (p.endsWith(":generatecontent")) {
            return "generateContent";
        }
        if (p.endsWith(":counttokens")) {
            return "countTokens";
        }
        if (p.contains("/chat/completions") || p.startsWith("/api/chat")) {
            return "chat/completions";
        }
        if (p.contains("/messages")) {
            return "messages";
        }
        if (p.startsWith("/v1/responses")) {
            return "responses";
        }
        if (p.contains("/embed")) {
            return "embeddings";
        }
        if (p.contains("/completions") || p.startsWith("/api/generate")) {
            return "completions";
        }
        return "other";
    }

    private static String clientFormat(String path) {
        if (GeminiGateway.isGeminiPath(path)) {
            return "gemini";
        }
        if (path.startsWith("/api/")) {
            return "ollama";
        }
        if (path.startsWith("/v1/responses")) {
            return "responses";
        }
        return path.startsWith("/v1/messages") || path.startsWith("/claude/") ? "anthropic" : "openai";
    }
}
