package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.Map;

/** Unauthenticated liveness endpoints. They reach no upstream and reveal nothing. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class SystemController {

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    Map<String, String> health() {
        return Map.of("status", "healthy");
    }

    @Get(uri = "/", produces = MediaType.APPLICATION_JSON)
    Map<String, String> root() {
        return Map.of("message", "Model Maestro", "status", "running");
    }

    @Head("/")
    HttpResponse<?> head() {
        return HttpResponse.ok();
    }
}
