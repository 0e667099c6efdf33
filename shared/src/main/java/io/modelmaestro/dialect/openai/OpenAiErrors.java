package io.modelmaestro.dialect.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Renders a {@link GatewayException} as OpenAI's error envelope, as a response and as an in-stream frame. */
public final class OpenAiErrors {

    private OpenAiErrors() {}

    public static int status(GatewayException error) {
        return HttpStatusMapping.statusFor(error);
    }

    public static byte[] body(GatewayException error) {
        return Json.write(envelope(error));
    }

    /** Headers that go with the error: {@code Retry-After} for limits, {@code WWW-Authenticate} for 401. */
    public static Map<String, String> headers(GatewayException error) {
        if (error instanceof GatewayException.RateLimited rl) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(rl.headers());
            if (rl.retryAfterSeconds() > 0) {
                headers.put("retry-after", Long.toString(rl.retryAfterSeconds()));
            }
            return headers;
        }
        if (error instanceof GatewayException.Unauthenticated) {
            return Map.of("www-authenticate", "Bearer");
        }
        return Map.of();
    }

    /** The in-band frame for an error after the stream has started (status 200 is already on the wire). */
    public static byte[] frame(GatewayException error) {
        return SseWriter.data(Json.write(envelope(error)));
    }

    public static ObjectNode envelope(GatewayException error) {
        ObjectNode body = Json.object();
        ObjectNode e = body.putObject("error");
        e.put("message", error.getMessage());
        e.put("type", type(error));
        String param = error instanceof GatewayException.InvalidRequest ir ? ir.param() : null;
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        String code = code(error);
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return body;
    }

    private static String type(GatewayException error) {
        return switch (error.kind()) {
            case INVALID_REQUEST, NOT_FOUND, PAYLOAD_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMIT -> "rate_limit_error";
            case UPSTREAM, UNAVAILABLE -> "api_error";
            case INTERNAL -> "server_error";
        };
    }

    private static @Nullable String code(GatewayException error) {
        return switch (error) {
            case GatewayException.Unauthenticated e -> "invalid_api_key";
            case GatewayException.NotFound e -> e.getMessage().startsWith("Model") ? "model_not_found" : "not_found";
            case GatewayException.PayloadTooLarge e -> "request_too_large";
            case GatewayException.RateLimited e -> "rate_limit_exceeded";
            case GatewayException.UpstreamTimeout e -> "upstream_unavailable";
            case GatewayException.AllNodesFailed e -> "upstream_unavailable";
            case GatewayException.NoHealthyNode e -> "no_healthy_node";
            default -> null;
        };
    }
}
