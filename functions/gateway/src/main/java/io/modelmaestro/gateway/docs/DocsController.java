package io.modelmaestro.gateway.docs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelmaestro.core.error.GatewayException;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/docs}: Swagger UI over the OpenAPI document that micronaut-openapi generates at compile time
 * ({@code META-INF/swagger/openapi.yml}). Swagger UI's files come from its webjar inside the jar, so the page works
 * without any CDN. Admin only ({@code application.yml}'s intercept-url-map lists {@code /api/docs} before
 * {@code /api/**}); the page loads no inline script, so a strict content security policy applies.
 *
 * <p>Every route declares that it produces anything and sets its content type itself: browsers ask for scripts with
 * {@code Accept: *}{@code /*}, and Micronaut gives a request to the route that explicitly produces the first accepted
 * type, which would otherwise be the catch-all fallback's 404.
 */
@Hidden
@Controller("/api/docs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DocsController {

    static final String SPEC_RESOURCE = "META-INF/swagger/openapi.yml";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final MediaType YAML = MediaType.of("application/yaml");
    /** The only Swagger UI files served, with their types. */
    private static final Map<String, MediaType> ASSETS = Map.of(
            "swagger-ui.css", MediaType.of("text/css"),
            "swagger-ui-bundle.js", MediaType.of("text/javascript"),
            "swagger-ui-standalone-preset.js", MediaType.of("text/javascript"),
            "favicon-32x32.png", MediaType.IMAGE_PNG_TYPE,
            "favicon-16x16.png", MediaType.IMAGE_PNG_TYPE);

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="UTF-8">
              <title>Model Maestro API</title>
              <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
              <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" sizes="32x32">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
              <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
              <script src="/api/docs/swagger-initializer.js"></script>
            </body>
            </html>
            """;

    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/api/docs/openapi.yml",
                dom_id: "#swagger-ui",
                deepLinking: true,
                persistAuthorization: false,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                plugins: [SwaggerUIBundle.plugins.DownloadUrl],
                layout: "StandaloneLayout"
              });
            };
            """;

    private final String webjarDir;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public DocsController() {
        this.webjarDir = WEBJAR + swaggerUiVersion() + "/";
    }

    @Get(produces = MediaType.ALL)
    HttpResponse<String> page() {
        return secured(HttpResponse.ok(PAGE)).contentType(MediaType.TEXT_HTML_TYPE);
    }

    @Get(uri = "/openapi.yml", produces = MediaType.ALL)
    HttpResponse<byte[]> spec() {
        return secured(HttpResponse.ok(resource(SPEC_RESOURCE))).contentType(YAML);
    }

    @Get(uri = "/swagger-initializer.js", produces = MediaType.ALL)
    HttpResponse<String> initializer() {
        return secured(HttpResponse.ok(INITIALIZER)).contentType(MediaType.of("text/javascript"));
    }

    @Get(uri = "/assets/{file}", produces = MediaType.ALL)
    HttpResponse<byte[]> asset(@PathVariable String file) {
        MediaType type = ASSETS.get(file);
        if (type == null) {
            throw new GatewayException.NotFound("No such file: /api/docs/assets/" + file);
        }
        return secured(HttpResponse.ok(resource(webjarDir + file))).contentType(type);
    }

    private byte[] resource(String name) {
        return cache.computeIfAbsent(name, DocsController::read);
    }

    private static byte[] read(String name) {
        try (InputStream in = open(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (is the build incomplete?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable InputStream open(String name) {
        return DocsController.class.getClassLoader().getResourceAsStream(name);
    }

    private static String swaggerUiVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI's webjar is not on the classpath");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("version");
        if (version == null) {
            throw new IllegalStateException("Swagger UI's webjar has no version");
        }
        return version;
    }

    private static <T> MutableHttpResponse<T> secured(MutableHttpResponse<T> response) {
        return response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
    }
}
