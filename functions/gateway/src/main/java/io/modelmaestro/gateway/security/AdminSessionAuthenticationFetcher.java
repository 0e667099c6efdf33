package io.modelmaestro.gateway.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.modelmaestro.auth.AdminSignIn;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates the admin site's session cookie as ADMIN, on {@code /admin} paths and the API docs ({@code /api/docs},
 * read-only) only (the cookie never reaches the LLM API, Ollama's model management included), and only when the request carries no bearer or {@code x-api-key} credential. The session is looked up in
 * the database off the event loop. Requests it authenticates carry the attribute {@code session=true}; the CSRF
 * checks are {@link AdminCsrfFilter}'s.
 */
@Singleton
public class AdminSessionAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    public static final String SESSION_ATTRIBUTE = "session";

    private final AdminSignIn signIn;

    public AdminSessionAuthenticationFetcher(AdminSignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String path = request.getPath();
        if (!(path.equals("/admin")
                || path.startsWith("/admin/")
                || path.equals("/api/docs")
                || path.startsWith("/api/docs/"))) {
            return Mono.empty();
        }
        String value = AdminSessionCookie.read(request);
        if (value == null || value.isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> signIn.lookup(value).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .map(current -> Authentication.build(
                        current.username(),
                        List.of(AdminTokenValidator.ROLE_ADMIN),
                        Map.of(
                                SESSION_ATTRIBUTE,
                                true,
                                "expires_at",
                                current.expiresAt().toString())));
    }

    @Override
    public int getOrder() {
        return TokenAuthenticationFetcher.ORDER + 10;
    }
}
