package io.modelmaestro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.http.server.util.locale.HttpLocaleResolver;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.security.token.reader.TokenResolver;
import io.micronaut.security.token.validator.TokenValidator;
import io.modelmaestro.gateway.support.Gateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The lean fetcher authenticates every request exactly as Micronaut's {@link TokenAuthenticationFetcher} does; Micronaut's
 * fetcher, built from the same beans, is the oracle. Only the event's host and locale come from cheaper sources.
 */
class LeanTokenAuthenticationFetcherTest {

    static Gateway gw;

    @BeforeAll
    static void start() {
        gw = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void the_gateway_runs_the_lean_fetcher_in_place_of_micronauts() {
        List<Object> fetchers = new ArrayList<>(gw.context().getBeansOfType(AuthenticationFetcher.class));
        assertThat(fetchers).hasAtLeastOneElementOfType(LeanTokenAuthenticationFetcher.class);
        assertThat(fetchers)
                .filteredOn(f -> f.getClass() == TokenAuthenticationFetcher.class)
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_token_gets_micronauts_answer() {
        LeanTokenAuthenticationFetcher lean = gw.bean(LeanTokenAuthenticationFetcher.class);
        List<TokenValidator<HttpRequest<?>>> validators = new ArrayList<>();
        for (TokenValidator<?> v : gw.context().getBeansOfType(TokenValidator.class)) {
            validators.add((TokenValidator<HttpRequest<?>>) v);
        }
        TokenAuthenticationFetcher micronaut = new TokenAuthenticationFetcher(
                validators,
                gw.context().getBean(TokenResolver.class),
                gw.context().getBean(ApplicationEventPublisher.class),
                gw.bean(HttpHostResolver.class),
                gw.bean(HttpLocaleResolver.class));
        String user = gw.createUser("lean-fetcher-user");
        String other = gw.createUser("lean-fetcher-other");
        String tampered = user.substring(0, user.length() - 2) + (user.endsWith("A") ? "BB" : "AA");

        List<Function<MutableHttpRequest<?>, MutableHttpRequest<?>>> requests = List.of(
                r -> r,
                r -> r.bearerAuth(user),
                r -> r.bearerAuth(other),
                r -> r.bearerAuth(Gateway.ADMIN_TOKEN),
                r -> r.bearerAuth(tampered),
                r -> r.bearerAuth("not-a-token"),
                r -> r.header("x-api-key", user),
                r -> r.header("x-api-key", Gateway.ADMIN_TOKEN),
                r -> r.header("x-goog-api-key", user),
                r -> r.bearerAuth(user).header("X-Forwarded-Host", "elsewhere.example"));
        int authenticated = 0;
        for (Function<MutableHttpRequest<?>, MutableHttpRequest<?>> make : requests) {
            for (String path : List.of("/v1/chat/completions", "/admin/users", "/api/tags")) {
                Authentication expected = Mono.from(micronaut.fetchAuthentication(make.apply(HttpRequest.GET(path))))
                        .block();
                Authentication actual = Mono.from(lean.fetchAuthentication(make.apply(HttpRequest.GET(path))))
                        .block();
                assertThat(describe(actual)).as(path).isEqualTo(describe(expected));
                if (actual != null) {
                    authenticated++;
                }
            }
        }
        assertThat(authenticated).as("the oracle saw authenticated requests").isGreaterThanOrEqualTo(12);
    }

    @Test
    void the_event_gets_the_host_header_and_the_default_locale() {
        MutableHttpRequest<?> request = HttpRequest.GET("/v1/models").header("Host", "gw.example:8443");
        assertThat(LeanTokenAuthenticationFetcher.HOST_HEADER.resolve(request)).isEqualTo("gw.example:8443");
        assertThat(LeanTokenAuthenticationFetcher.HOST_HEADER.resolve(HttpRequest.GET("/")))
                .isEmpty();
        assertThat(LeanTokenAuthenticationFetcher.DEFAULT_LOCALE.resolveOrDefault(request))
                .isEqualTo(Locale.getDefault());
    }

    private static @Nullable Map<String, Object> describe(@Nullable Authentication a) {
        return a == null
                ? null
                : Map.of("name", a.getName(), "roles", List.copyOf(a.getRoles()), "attributes", a.getAttributes());
    }
}
