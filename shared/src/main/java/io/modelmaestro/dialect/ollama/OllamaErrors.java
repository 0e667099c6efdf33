package io.modelmaestro.dialect.ollama;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.json.Json;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link GatewayException} the way Ollama reports errors: {@code {"error": "..."}}, with the status from
 * {@link HttpStatusMapping} (400 for bad input, 404 for an unknown model, 5xx when nodes fail), and as one NDJSON
 * line when a stream has already started.
 */
public final class OllamaErrors {

    private static final Pattern MODEL_NOT_FOUND = Pattern.compile("^Model '(.*)' not found$");

    private OllamaErrors() {}

    public static int status(GatewayException error) {
        return HttpStatusMapping.statusFor(error);
    }

    public static byte[] body(GatewayException error) {
        return Json.write(envelope(error));
    }

    /** The in-band line for an error after the stream has started (status 200 is already on the wire). */
    public static byte[] line(GatewayException error) {
        byte[] json = body(error);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    public static ObjectNode envelope(GatewayException error) {
        ObjectNode body = Json.object();
        body.put("error", message(error));
        return body;
    }

    /** Headers that go with the error: {@code Retry-After} for limits, {@code WWW-Authenticate} for 401. */
    public static Map<String, String> headers(GatewayException error) {
        if (error instanceof GatewayException.RateLimited rl && rl.retryAfterSeconds() > 0) {
            return Map.of("retry-after", Long.toString(rl.retryAfterSeconds()));
        }
        if (error instanceof GatewayException.Unauthenticated) {
            return Map.of("www-authenticate", "Bearer");
        }
        return Map.of();
    }

    /** Ollama's own wording where there is one: {@code model 'x' not found}. */
    static String message(GatewayException error) {
        String message = error.getMessage();
        if (error instanceof GatewayException.NotFound) {
            Matcher m = MODEL_NOT_FOUND.matcher(message);
            if (m.matches()) {
                return "model '" + m.group(1) + "' not found";
            }
        }
        return message;
    }
}
