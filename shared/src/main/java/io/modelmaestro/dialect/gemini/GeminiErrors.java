package io.modelmaestro.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.json.Json;
import java.util.Map;

/**
 * Renders a {@link GatewayException} as Google's error envelope {@code {"error":{"code","message","status"}}}, as a
 * response and as an in-stream chunk. {@code status} is the google.rpc code name for the HTTP status, as Google's
 * API gateway maps them:
 *
 * <table>
 *   <tr><td>400</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>401</td><td>UNAUTHENTICATED</td></tr>
 *   <tr><td>403</td><td>PERMISSION_DENIED</td></tr>
 *   <tr><td>404</td><td>NOT_FOUND</td></tr>
 *   <tr><td>409</td><td>ABORTED</td></tr>
 *   <tr><td>413</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>429</td><td>RESOURCE_EXHAUSTED</td></tr>
 *   <tr><td>499</td><td>CANCELLED</td></tr>
 *   <tr><td>501</td><td>UNIMPLEMENTED</td></tr>
 *   <tr><td>503</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>504</td><td>DEADLINE_EXCEEDED</td></tr>
 *   <tr><td>other 4xx</td><td>FAILED_PRECONDITION</td></tr>
 *   <tr><td>other 5xx</td><td>INTERNAL</td></tr>
 * </table>
 *
 * A parameter named by the error goes into {@code details} as a {@code google.rpc.BadRequest} field violation.
 */
public final class GeminiErrors {

    private GeminiErrors() {}

    public static int status(GatewayException error) {
        return HttpStatusMapping.statusFor(error);
    }

    public static byte[] body(GatewayException error) {
        return Json.write(envelope(error));
    }

    /** {@code Retry-After} for limits. */
    public static Map<String, String> headers(GatewayException error) {
        if (error instanceof GatewayException.RateLimited rl && rl.retryAfterSeconds() > 0) {
            return Map.of("retry-after", Long.toString(rl.retryAfterSeconds()));
        }
        return Map.of();
    }

    public static ObjectNode envelope(GatewayException error) {
        int code = status(error);
        ObjectNode body = Json.object();
        ObjectNode e = body.putObject("error");
        e.put("code", code);
        e.put("message", error.getMessage());
        e.put("status", statusName(code));
        if (error instanceof GatewayException.InvalidRequest ir && ir.param() != null) {
            ObjectNode detail = e.putArray("details").addObject();
            detail.put("@type", "type.googleapis.com/google.rpc.BadRequest");
            ObjectNode violation = detail.putArray("fieldViolations").addObject();
            violation.put("field", ir.param());
            violation.put("description", error.getMessage());
        }
        return body;
    }

    public static String statusName(int status) {
        return switch (status) {
            case 400, 413 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 400 && status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
        };
    }
}
