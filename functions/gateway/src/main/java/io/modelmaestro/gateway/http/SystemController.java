package io.modelmaestro.gateway.http;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;

/** Unauthenticated liveness endpoints. They reach no upstream and reveal nothing. */
@Controller
@Tag(name = "System")
@Secured(SecurityRule.IS_ANONYMOUS)
public class SystemController {

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    Map<String, String> health() {
        return Map.of("status", "healthy");
    }

    /**
     * What Ollama answers on its root: Ollama clients (the {@code ollama} CLI, Open WebUI) probe it to see the server
     * is up, and Claude Code probes it too (it only needs a 200). {@code HEAD /} is the route Micronaut derives from
     * this one (a second, explicit HEAD route made every {@code HEAD /} fail as ambiguous).
     */
    @Get(uri = "/", produces = MediaType.TEXT_PLAIN)
    String root() {
        return "Ollama is running";
    }
}
