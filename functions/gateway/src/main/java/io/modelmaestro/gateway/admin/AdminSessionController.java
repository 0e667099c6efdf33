package io.modelmaestro.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.modelmaestro.admin.AdminActor;
import io.modelmaestro.admin.AuditService;
import io.modelmaestro.admin.FieldError;
import io.modelmaestro.auth.AdminSignIn;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.security.AdminSessionAuthenticationFetcher;
import io.modelmaestro.gateway.security.AdminSessionCookie;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin/session}: the admin site's sign-in ({@code POST}), the current session ({@code GET}) and sign-out
 * ({@code DELETE}). Open to anonymous callers by design; the CSRF header is enforced by the CSRF filter.
 */
@Controller("/admin/session")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
public class AdminSessionController {

    private final AdminSignIn signIn;
    private final AuditService audit;

    public AdminSessionController(AdminSignIn signIn, AuditService audit) {
        this.signIn = signIn;
        this.audit = audit;
    }

    public record SessionView(String username, Instant expiresAt) {}

    @Post(consumes = MediaType.ALL)
    MutableHttpResponse<SessionView> create(HttpRequest<?> request, @Body byte @Nullable [] body) {
        JsonNode json = AdminSupport.body(body);
        String username = text(json, "username");
        String password = text(json, "password");
        AdminActor actor = AdminSupport.actor(request, Authentication.build(username));
        AdminSignIn.NewSession session = signIn.signIn(
                username, password, actor.ip(), request.getHeaders().get("user-agent"));
        audit.record("admin_sign_in", "admin_session", null, new AdminActor(session.username(), actor.ip()), Map.of());
        return HttpResponse.ok(new SessionView(session.username(), session.expiresAt()))
                .cookie(AdminSessionCookie.issue(request, session.sessionId(), signIn.absoluteTimeout()))
                .header("Cache-Control", "no-store");
    }

    @Get
    MutableHttpResponse<SessionView> current(@Nullable Authentication auth) {
        if (auth == null
                || !Boolean.TRUE.equals(
                        auth.getAttributes().get(AdminSessionAuthenticationFetcher.SESSION_ATTRIBUTE))) {
            throw new GatewayException.Unauthenticated("Not signed in");
        }
        Object expires = auth.getAttributes().get("expires_at");
        return HttpResponse.ok(new SessionView(auth.getName(), Instant.parse(String.valueOf(expires))))
                .header("Cache-Control", "no-store");
    }

    @Delete(consumes = MediaType.ALL)
    MutableHttpResponse<?> delete(HttpRequest<?> request, @Nullable Authentication auth) {
        String value = AdminSessionCookie.read(request);
        if (value != null) {
            signIn.signOut(value);
            if (auth != null) {
                audit.record("admin_sign_out", "admin_session", null, AdminSupport.actor(request, auth), Map.of());
            }
        }
        return HttpResponse.noContent().cookie(AdminSessionCookie.clear(request));
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw FieldError.of(field, "is required");
        }
        return v.asText();
    }
}
