package io.modelmaestro.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.dialect.anthropic.AnthropicErrors;
import io.modelmaestro.dialect.gemini.GeminiErrors;
import io.modelmaestro.dialect.ollama.OllamaErrors;
import io.modelmaestro.dialect.openai.OpenAiErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.pipeline.GeminiGateway;
import java.util.Map;

/**
 * Renders errors that happen outside the pipeline (authentication, routing, body limits) in the format of the API the
 * client called: Google's envelope on the Gemini routes ({@link GeminiGateway#isGeminiPath}), Anthropic's envelope for Anthropic clients ({@link #speaksAnthropic}), Ollama's {@code {"error": "..."}}
 * on {@code /api}, OpenAI's on the rest of {@code /v1}, {@code {"detail": ...}} on the admin API.
 */
public final class ErrorRenderer {

    private static final String DOCS = "/api/docs";

    private ErrorRenderer() {}

    public static MutableHttpResponse<byte[]> render(HttpRequest<?> request, GatewayException error) {
        int status = OpenAiErrors.status(error);
        byte[] body;
        Map<String, String> headers = OpenAiErrors.headers(error);
        if (GeminiGateway.isGeminiPath(request.getPath())) {
            body = GeminiErrors.body(error);
            headers = GeminiErrors.headers(error);
        } else if (speaksAnthropic(request)) {
            body = AnthropicErrors.body(error);
            headers = AnthropicErrors.headers(error);
        } else if (isAdmin(request)) {
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
        headers.forEach(response::header);
        return response;
    }

    /** The admin API and the API docs: {@code {"detail": "...", "field": "..."}}. */
    public static boolean isAdmin(HttpRequest<?> request) {
        String path = request.getPath();
        return path.equals("/admin") || path.startsWith("/admin/") || path.equals(DOCS) || path.startsWith(DOCS + "/");
    }

    static boolean isOllama(HttpRequest<?> request) {
        String path = request.getPath();
        return path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Anthropic clients: {@code /v1/messages…}, everything under {@code /claude}, and {@code /v1/models} asked with
     * {@code anthropic-version}.
     */
    static boolean speaksAnthropic(HttpRequest<?> request) {
        String path = request.getPath();
        return path.startsWith("/v1/messages")
                || path.equals("/claude")
                || path.startsWith("/claude/")
                || (path.equals("/v1/models") && request.getHeaders().contains("anthropic-version"));
    }
}
