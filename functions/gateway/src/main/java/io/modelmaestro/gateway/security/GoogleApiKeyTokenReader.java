package io.modelmaestro.gateway.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import io.modelmaestro.pipeline.GeminiGateway;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads the token the way Gemini clients send it: the {@code x-goog-api-key} header (the Google Gen AI SDKs, Gemini
 * CLI), or, on the Gemini routes only, the {@code key} query parameter (curl examples, older clients). It feeds the
 * same validators as {@code Authorization: Bearer}. The query value is never logged or recorded: the activity log
 * and the error pages use the request path, which has no query string.
 */
@Singleton
public class GoogleApiKeyTokenReader implements TokenReader<HttpRequest<?>> {

    public static final String HEADER = "x-goog-api-key";
    public static final String QUERY_PARAMETER = "key";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        String header = request.getHeaders().get(HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(header.strip());
        }
        return fromQuery(request);
    }

    /** The {@code key} query parameter, on the Gemini routes only. */
    static Optional<String> fromQuery(HttpRequest<?> request) {
        if (!GeminiGateway.isGeminiPath(request.getPath())) {
            return Optional.empty();
        }
        String key = request.getParameters().get(QUERY_PARAMETER);
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.strip());
    }

    /** True when the request presented a credential this reader would read (for the 401 message). */
    public static boolean presented(HttpRequest<?> request) {
        return request.getHeaders().contains(HEADER) || fromQuery(request).isPresent();
    }

    @Override
    public int getOrder() {
        return 20;
    }
}
