package io.modelmaestro.gateway.docs;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The document-level part of the OpenAPI description; micronaut-openapi adds every controller route at compile time.
 * Every route except the system probes needs a bearer token: a user token on the LLM surfaces, the admin token on
 * {@code /admin} (and on Ollama's model management and these docs).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Model Maestro",
                        version = "1",
                        description = "Self-hosted LLM gateway: the OpenAI, Anthropic Messages and Ollama APIs in"
                                + " front of a pool of nodes, and the admin API. Admin errors are"
                                + " {\"detail\": \"...\", \"field\": \"...\"}; see docs/api.md.",
                        license = @License(name = "Model Maestro")),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "OpenAI", description = "OpenAI-compatible API (user token)"),
            @Tag(name = "Anthropic", description = "Anthropic Messages API, also under /claude (user token)"),
            @Tag(name = "Ollama", description = "Ollama's native API (user token; model management: admin token)"),
            @Tag(name = "Admin: users", description = "Users, tokens, allowlists and limits"),
            @Tag(name = "Admin: nodes", description = "Upstream nodes"),
            @Tag(name = "Admin: model mappings", description = "Display name to real model name"),
            @Tag(name = "Admin: activity", description = "Request log, usage and dashboard statistics"),
            @Tag(name = "Admin: settings", description = "Runtime settings"),
            @Tag(name = "Admin: audit", description = "The audit log of admin mutations"),
            @Tag(name = "System", description = "Liveness probes and these docs")
        })
@SecurityScheme(
        name = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        in = SecuritySchemeIn.HEADER,
        description = "Authorization: Bearer <token> (x-api-key: <token> is accepted too)")
public final class ApiDefinition {
    private ApiDefinition() {}
}
