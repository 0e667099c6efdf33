package io.modelmaestro.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;
import java.util.Map;

/**
 * Renders a {@link GatewayException} as Anthropic's error envelope {@code {"type":"error","error":{"type","message"}}},
 * as a response and as an in-stream {@code event: error} frame. The error type follows the status, as Anthropic's
 * does (the SDKs pick their exception class from the status, Claude Code reads the type):
 *
 * <table>
 *   <tr><td>400</td><td>invalid_request_error</td></tr>
 *   <tr><td>401</td><td>authentication_error</td></tr>
 *   <tr><td>403</td><td>permission_error</td></tr>
 *   <tr><td>404</td><td>not_found_error</td></tr>
 *   <tr><td>413</td><td>request_too_large</td></tr>
 *   <tr><td>429</td><td>rate_limit_error</td></tr>
 *   <tr><td>503, 529</td><td>overloaded_error</td></tr>
 *   <tr><td>other 4xx</td><td>invalid_request_error</td></tr>
 *   <tr><td>other 5xx</td><td>api_error</td></tr>
 * </table>
 */
public final class AnthropicErrors {

    private AnthropicErrors() {}

    public static int status(GatewayException error) {
        return HttpStatusMapping.statusFor(error);
    }

    public static byte[] body(GatewayException error) {
        return Json.write(envelope(error));
    }

    /** {@code Retry-After} for limits; Anthropic sends no {@code WWW-Authenticate}. */
    public static Map<String, String> headers(GatewayException error) {
        if (error instanceof GatewayException.RateLimited rl && rl.retryAfterSeconds() > 0) {
            return Map.of("retry-after", Long.toString(rl.retryAfterSeconds()));
        }
        return Map.of();
    }

    /** The in-band frame for an error after the stream has started (status 200 is already on the wire). */
    public static byte[] frame(GatewayException error) {
        return SseWriter.event("error", Json.write(envelope(error)));
    }

    public static ObjectNode envelope(GatewayException error) {
        ObjectNode body = Json.object();
        body.put("type", "error");
        ObjectNode e = body.putObject("error");
        e.put("type", type(status(error)));
        e.put("message", error.getMessage());
        return body;
    }

    public static String type(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
