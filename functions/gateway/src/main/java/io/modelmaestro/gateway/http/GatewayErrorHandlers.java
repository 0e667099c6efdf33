package io.modelmaestro.gateway.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.gateway.security.AuthorizationErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global error handlers: every error leaves in the caller's format, never as a stack trace, and a client mistake is
 * never a 500. Unexpected exceptions are logged with a reference and answered with a generic 500.
 */
@Controller
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
    HttpResponse<?> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException error) {
        return ErrorRenderer.render(
                request,
                new GatewayException.InvalidRequest(error.getMessage() == null ? "Bad request" : error.getMessage()));
    }

    @Error(global = true)
    HttpResponse<?> conversion(HttpRequest<?> request, ConversionErrorException error) {
        return ErrorRenderer.render(
                request,
                new GatewayException.InvalidRequest(
                        "Invalid value for '" + error.getArgument().getName() + "'",
                        error.getArgument().getName()));
    }

    @Error(global = true)
    HttpResponse<?> unexpected(HttpRequest<?> request, Throwable error) {
        String ref = Long.toHexString(System.nanoTime());
        LOG.error("unexpected error {} on {} {}", ref, request.getMethodName(), request.getPath(), error);
        return ErrorRenderer.render(
                request, new GatewayException.Internal("Internal error (reference " + ref + ")", null));
    }
}
