package io.modelmaestro.gateway.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.http.server.util.locale.HttpLocaleResolver;
import io.micronaut.security.event.TokenValidatedEvent;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.security.token.reader.TokenResolver;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Micronaut's bearer-token fetcher, without the host and locale it resolves for every authenticated request only to
 * put them into the {@link TokenValidatedEvent} it publishes. Micronaut's {@code DefaultHttpHostResolver} parses the
 * {@code Forwarded}/{@code X-Forwarded-*} headers with regular expressions for that: 3.5 % of the request path's CPU
 * samples under load (session 5's profile), for an event nothing here listens to. The event is still published, with
 * the request's {@code Host} header as it came and the JVM's default locale; token reading, validation and their order
 * are Micronaut's.
 */
@Singleton
@Replaces(TokenAuthenticationFetcher.class)
public class LeanTokenAuthenticationFetcher extends TokenAuthenticationFetcher {

    /** The {@code Host} header as sent (no proxy-header parsing); empty when absent. */
    static final HttpHostResolver HOST_HEADER = LeanTokenAuthenticationFetcher::hostHeader;

    /** The JVM's default locale, without reading {@code Accept-Language}. */
    static final HttpLocaleResolver DEFAULT_LOCALE = new HttpLocaleResolver() {
        @Override
        public Optional<Locale> resolve(HttpRequest<?> request) {
            return Optional.of(Locale.getDefault());
        }

        @Override
        public Locale resolveOrDefault(HttpRequest<?> request) {
            return Locale.getDefault();
        }
    };

    public LeanTokenAuthenticationFetcher(
            List<TokenValidator<HttpRequest<?>>> tokenValidators,
            TokenResolver<HttpRequest<?>> tokenResolver,
            ApplicationEventPublisher<TokenValidatedEvent> tokenValidatedEventPublisher) {
        super(tokenValidators, tokenResolver, tokenValidatedEventPublisher, HOST_HEADER, DEFAULT_LOCALE);
    }

    private static String hostHeader(@Nullable HttpRequest<?> request) {
        if (request == null) {
            return "";
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        return host == null ? "" : host;
    }
}
