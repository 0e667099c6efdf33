package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.modelmaestro.core.error.GatewayException;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Answers paths no other route matches with a 404 in the caller's error format. (A status-404 error handler would
 * also catch the 404s our own endpoints return on purpose, such as an unknown model, and replace their bodies.)
 * Security still runs first: under {@code /v1} and {@code /admin} an unauthenticated caller gets 401, not a map of
 * which paths exist.
 */
@Controller
@Hidden
@Secured(SecurityRule.IS_ANONYMOUS)
public class FallbackController {

    @Get(uri = "/{+path}", produces = MediaType.ALL)
    HttpResponse<?> get(HttpRequest<?> request, String path) {
        return notFound(request);
    }

    @Post(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<?> post(HttpRequest<?> request, String path) {
        return notFound(request);
    }

    @Put(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<?> put(HttpRequest<?> request, String path) {
        return notFound(request);
    }

    @Delete(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<?> delete(HttpRequest<?> request, String path) {
        return notFound(request);
    }

    @Patch(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<?> patch(HttpRequest<?> request, String path) {
        return notFound(request);
    }

    private static HttpResponse<?> notFound(HttpRequest<?> request) {
        return ErrorRenderer.render(request, new GatewayException.NotFound("No such endpoint: " + request.getPath()));
    }
}
