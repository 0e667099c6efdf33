package io.modelmaestro.gateway.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.NotAcceptableException;
import io.micronaut.http.server.exceptions.NotAllowedException;
import io.micronaut.http.server.exceptions.NotFoundException;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.security.AuthorizationErrorHandler;
import io.swagger.v3.oas.annotations.Hidden;
import java.sql.SQLException;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global error handlers: every error leaves in the caller's format, never as a stack trace, and a client mistake is
 * never a 500. Unexpected exceptions are logged with a reference and answered with a generic 500.
 *
 * <p>Requests no route matches: Micronaut raises {@link NotFoundException} (no route for the path),
 * {@link NotAllowedException} (the path exists for other methods), {@link UnsupportedMediaException} or
 * {@link NotAcceptableException} only on a route miss, after the server filters (security included) have run, and
 * never for a response one of our endpoints returns; so these handlers render exactly the route misses in the caller's
 * format. (A catch-all {@code /{+path}} route cannot do this: Micronaut's router prefers, among matching routes, the
 * one that explicitly produces the first {@code Accept} type, so a catch-all producing {@code *}{@code /*} shadowed
 * real routes for {@code Accept: *}{@code /*}. A status-404 route is no better: it also replaces the bodies of 404s
 * our endpoints return on purpose.)
 */
@Controller
@Hidden
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(classes = ContentLengthExceededException.class)
public class GatewayErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrorHandlers.class);

    private final AuthorizationErrorHandler authorization;

    public GatewayErrorHandlers(AuthorizationErrorHandler authorization) {
        this.authorization = authorization;
    }

    @Error(global = true)
    HttpResponse<?> gateway(HttpRequest<?> request, GatewayException error) {
        return ErrorRenderer.render(request, error);
    }

    @Error(global = true)
    HttpResponse<?> authorization(HttpRequest<?> request, AuthorizationException error) {
        return authorization.render(request, error);
    }

    @Error(global = true)
    HttpResponse<?> tooLarge(HttpRequest<?> request, ContentLengthExceededException error) {
        return ErrorRenderer.render(request, new GatewayException.PayloadTooLarge("Request body is too large"));
    }

    @Error(global = true)
    HttpResponse<?> noRoute(HttpRequest<?> request, NotFoundException error) {
        return ErrorRenderer.render(request, new GatewayException.NotFound("No such endpoint: " + request.getPath()));
    }

    @Error(global = true)
    HttpResponse<?> methodNotAllowed(HttpRequest<?> request, NotAllowedException error) {
        String allowed = String.join(", ", new TreeSet<>(error.getAllowedMethods()));
        MutableHttpResponse<?> response = routeMiss(
                request,
                HttpStatus.METHOD_NOT_ALLOWED,
                "Method " + request.getMethodName() + " is not allowed on " + request.getPath() + " (allowed: "
                        + allowed + ")");
        return response.header("Allow", allowed);
    }

    @Error(global = true)
    HttpResponse<?> unsupportedMediaType(HttpRequest<?> request, UnsupportedMediaException error) {
        return routeMiss(
                request,
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Content-Type " + error.getContentType() + " on " + request.getPath() + " (expected: "
                        + String.join(", ", error.getAcceptableContentTypes()) + ")");
    }

    @Error(global = true)
    HttpResponse<?> notAcceptable(HttpRequest<?> request, NotAcceptableException error) {
        return routeMiss(
                request,
                HttpStatus.NOT_ACCEPTABLE,
                request.getPath() + " cannot answer with the Accept header's types (it produces: "
                        + String.join(", ", error.getProduceableContentTypes()) + ")");
    }

    /** A client mistake the gateway has no error kind for: an invalid-request body with the route miss's status. */
    private static MutableHttpResponse<?> routeMiss(HttpRequest<?> request, HttpStatus status, String message) {
        return ErrorRenderer.render(request, new GatewayException.InvalidRequest(message))
                .status(status);
    }

    @Error(global = true)
    HttpResponse<?> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException error) {
        return ErrorRenderer.render(
                request,
                new GatewayException.InvalidRequest(error.getMessage() == null ? "Bad request" : error.getMessage()));
    }

    @Error(global = true)
    HttpResponse<?> conversion(HttpRequest<?> request, ConversionErrorException error) {
        // The name the client used: a query or path parameter's declared name (node_id), not the Java one (nodeId).
        String name = error.getArgument()
                .getAnnotationMetadata()
                .stringValue(QueryValue.class)
                .or(() -> error.getArgument().getAnnotationMetadata().stringValue(PathVariable.class))
                .filter(s -> !s.isEmpty())
                .orElse(error.getArgument().getName());
        return ErrorRenderer.render(
                request,
                new GatewayException.InvalidRequest(
                        name + ": invalid value (expected "
                                + error.getArgument().getType().getSimpleName() + ")",
                        name));
    }

    /** Whether a unique constraint refused the statement (SQLSTATE 23505 anywhere in the cause chain). */
    static boolean uniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Error(global = true)
    HttpResponse<?> unexpected(HttpRequest<?> request, Throwable error) {
        if (uniqueViolation(error)) {
            // A unique constraint the database enforced: the services check for duplicates first, so this is two
            // requests creating the same entry at once — the client's conflict, answered like the check's own.
            return ErrorRenderer.render(
                    request,
                    new GatewayException.InvalidRequest(
                            "An entry with the same name already exists (created by another request just now)"));
        }
        String ref = Long.toHexString(System.nanoTime());
        LOG.error("unexpected error {} on {} {}", ref, request.getMethodName(), request.getPath(), error);
        return ErrorRenderer.render(
                request, new GatewayException.Internal("Internal error (reference " + ref + ")", null));
    }
}
