package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.auth.Principal;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.UserRecord;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.pipeline.InboundRequest;
import io.modelmaestro.pipeline.SourceResolver;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the pipeline's {@link InboundRequest} from an HTTP request: credential headers are dropped here, so nothing
 * after this point can forward or log them.
 */
@Singleton
public class RequestFactory {

    private static final Set<String> CREDENTIALS =
            Set.of("authorization", "x-api-key", "x-goog-api-key", "cookie", "proxy-authorization");

    private final CatalogService catalog;

    public RequestFactory(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** The calling user's allowlists (for endpoints that need no {@link InboundRequest}, such as model lists). */
    public io.modelmaestro.catalog.UserAccess access(Authentication auth) {
        return catalog.snapshot()
                .user(auth.getName())
                .orElseThrow(() -> new GatewayException.Unauthenticated("Invalid or expired token"))
                .access();
    }

    public InboundRequest inbound(HttpRequest<?> request, byte[] body, Authentication auth) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CREDENTIALS.contains(lower) && !values.isEmpty()) {
                headers.put(lower, values.get(0));
            }
        });
        UserRecord user = catalog.snapshot()
                .user(auth.getName())
                .orElseThrow(() -> new GatewayException.Unauthenticated("Invalid or expired token"));
        String path = request.getPath();
        return new InboundRequest(
                path,
                headers,
                body,
                new Principal(user.id(), user.username(), user.access(), user.limits()),
                UUID.randomUUID(),
                SourceResolver.resolve(path, headers));
    }
}
