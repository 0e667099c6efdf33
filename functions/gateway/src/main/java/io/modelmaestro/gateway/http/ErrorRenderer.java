package io.modelmaestro.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.dialect.ollama.OllamaErrors;
import io.modelmaestro.dialect.openai.OpenAiErrors;
import io.modelmaestro.json.Json;

/**
 * Renders errors that happen outside the pipeline (authentication, routing, body limits) in the format of the API the
 * client called: OpenAI's envelope on {@code /v1}, Ollama's {@code {"error": "..."}} on {@code /api}, {@code
 * {"detail": ...}} on the admin API.
 */
public final class ErrorRenderer {

    private ErrorRenderer() {}

    public static MutableHttpResponse<byte[]> render(HttpRequest<?> request, GatewayException error) {
        int status = OpenAiErrors.status(error);
        byte[] body;
        if (request.getPath().startsWith("/admin")) {
            ObjectNode detail = Json.object();
            detail.put("detail", error.getMessage());
            if (error instanceof GatewayException.InvalidRequest ir && ir.param() != null) {
                detail.put("field", ir.param());
            }
            body = Json.write(detail);
        } else if (isOllama(request)) {
            body = OllamaErrors.body(error);
        } else {
            body = OpenAiErrors.body(error);
        }
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.valueOf(status))
                .body(body);
        response.contentType(MediaType.APPLICATION_JSON_TYPE);
        OpenAiErrors.headers(error).forEach(response::header);
        return response;
    }

    static boolean isOllama(HttpRequest<?> request) {
        String path = request.getPath();
        return path.equals("/api") || path.startsWith("/api/");
    }
}
