package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.modelmaestro.core.error.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the admin site (ADR 0012): {@code /admin/} is its {@code index.html} and {@code /admin/assets/**} its built
 * files, read from the classpath folder {@code admin-web/} that the build packs from {@code admin-web/dist}. Nothing
 * else under {@code /admin} is static, so the admin API's routes are unaffected. Both are public (the page holds no
 * data; the API behind it needs the session). Every answer forbids framing and sniffing and has a strict CSP.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminSiteController {

    private static final String ROOT = "admin-web/";
    /** Path segments of letters, digits, dot, dash and underscore; no segment may start with a dot. */
    private static final Pattern ASSET =
            Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$");

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final String NOT_BUILT = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Model Maestro admin</title></head>
            <body><h1>The admin site is not part of this build</h1>
            <p>Build it with <code>npm ci &amp;&amp; npm run build</code> in <code>admin-web/</code> (or start the gateway
            with <code>scripts/run</code>, which does it when Node.js is installed), then rebuild the jar.
            The admin API under <code>/admin</code> works without it.</p></body></html>
            """;

    @Get(uri = "/admin", produces = MediaType.ALL)
    MutableHttpResponse<?> index() {
        byte[] page = read("index.html");
        MutableHttpResponse<byte[]> response =
                HttpResponse.ok(page == null ? NOT_BUILT.getBytes(StandardCharsets.UTF_8) : page);
        response.contentType("text/html; charset=utf-8");
        // The page names its hashed assets: always revalidate it, so a new build is picked up at once.
        response.header("Cache-Control", "no-cache");
        return secure(response);
    }

    @Get(uri = "/admin/assets/{+path}", produces = MediaType.ALL)
    MutableHttpResponse<?> asset(HttpRequest<?> request, String path) {
        byte[] bytes = ASSET.matcher(path).matches() ? read("assets/" + path) : null;
        if (bytes == null) {
            return ErrorRenderer.render(request, new GatewayException.NotFound("No such file: " + request.getPath()));
        }
        MutableHttpResponse<byte[]> response = HttpResponse.ok(bytes);
        String ext =
                path.contains(".") ? path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        response.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        // Vite puts a content hash in every asset name, so an asset never changes under its name.
        response.header("Cache-Control", "public, max-age=31536000, immutable");
        return secure(response);
    }

    private static MutableHttpResponse<?> secure(MutableHttpResponse<?> response) {
        return response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    private static byte @org.jspecify.annotations.Nullable [] read(String path) {
        try (InputStream in = AdminSiteController.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
