package io.modelmaestro.gateway.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.http.ErrorRenderer;
import jakarta.inject.Singleton;

/**
 * Security rejections in the caller's error format: 401 for a missing or invalid credential, 403 for a valid one
 * that may not use the route (a user token on the admin API, the admin token on the LLM API).
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrorHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        return render(request, exception);
    }

    public static MutableHttpResponse<?> render(HttpRequest<?> request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            String message = request.getPath().startsWith("/admin")
                    ? "Invalid admin token"
                    : "This token may not use " + request.getPath();
            return ErrorRenderer.render(request, new GatewayException.Forbidden(message));
        }
        boolean presented = request.getHeaders().contains("authorization")
                || request.getHeaders().contains("x-api-key");
        String message = presented
                ? "Invalid or expired token"
                : "Missing authorization header: send 'Authorization: Bearer <token>' or 'x-api-key: <token>'";
        return ErrorRenderer.render(request, new GatewayException.Unauthenticated(message));
    }
}
