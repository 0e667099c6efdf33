package io.modelmaestro.gateway.security;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.http.ErrorRenderer;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * CSRF defence for the admin site's cookie, in three layers (ADR 0012): the cookie is {@code SameSite=Strict}; every
 * cookie-authenticated {@code /admin} request other than GET/HEAD/OPTIONS (and every sign-in) must carry {@code
 * X-Maestro-CSRF: 1}, a header a cross-site form cannot send and cross-site scripts cannot send without a CORS
 * preflight that this server never grants; and an {@code Origin} (or {@code Sec-Fetch-Site}) that names another site
 * is refused. Requests with a bearer or {@code x-api-key} credential are not cookie-authenticated and pass untouched.
 * Refusals are 403 in the admin API's format. Runs before the security filter.
 */
@Filter("/admin/**")
public class AdminCsrfFilter implements HttpServerFilter {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String problem = problem(request);
        if (problem != null) {
            return Mono.just(ErrorRenderer.render(request, new GatewayException.Forbidden(problem)));
        }
        return chain.proceed(request);
    }

    static @Nullable String problem(HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        boolean signIn =
                request.getMethod() == HttpMethod.POST && request.getPath().equals("/admin/session");
        if (!signIn && AdminSessionCookie.read(request) == null) {
            return null;
        }
        if (signIn
                && (request.getHeaders().contains("authorization")
                        || request.getHeaders().contains("x-api-key"))) {
            return null;
        }
        if (!"1".equals(request.getHeaders().get(AdminSessionCookie.CSRF_HEADER))) {
            return "Missing " + AdminSessionCookie.CSRF_HEADER + " header (required with the admin session cookie)";
        }
        String site = request.getHeaders().get("sec-fetch-site");
        if (site != null && !(site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none"))) {
            return "Cross-site request refused";
        }
        String origin = request.getHeaders().get("origin");
        if (origin != null && !sameOrigin(origin, request)) {
            return "Cross-origin request refused";
        }
        return null;
    }

    /** The Origin's host and port must be the Host the request was sent to (or the proxy's forwarded host). */
    private static boolean sameOrigin(String origin, HttpRequest<?> request) {
        String authority;
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            authority = (uri.getHost() + (defaultPort ? "" : ":" + port)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String header : new String[] {"host", "x-forwarded-host"}) {
            String host = request.getHeaders().get(header);
            if (host != null && normalise(host).equals(authority)) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(":80") || h.endsWith(":443")) {
            h = h.substring(0, h.lastIndexOf(':'));
        }
        return h;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
