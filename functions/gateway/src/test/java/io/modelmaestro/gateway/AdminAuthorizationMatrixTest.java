package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every admin route, as Micronaut's router knows it at run time (so a route added later is checked without anyone
 * listing it here): without a credential → 401, with a user token → 403, with each admin credential → neither (the
 * route itself answers: not the route-miss 404, not a 500). The same for the API docs and Ollama's model management.
 *
 * <p>Admin credentials are a list of {@link Credential}s so that another way of being an admin (the admin site's
 * session cookie) is checked by adding one entry to {@link #adminCredentials()}.
 */
class AdminAuthorizationMatrixTest {

    /** One way to present a credential on a request. */
    record Credential(String name, Consumer<HttpRequest.Builder> apply) {}

    /**
     * Routes under the admin prefixes that are public on purpose: the admin site's static files and the sign-in
     * routes (their own answers are tested in AdminSessionTest).
     */
    static final Set<String> PUBLIC_ROUTES = Set.of(
            "GET /admin",
            "GET /admin/assets/{+path}",
            "POST /admin/session",
            "GET /admin/session",
            "DELETE /admin/session");

    static final String ADMIN_PASSWORD = "matrix admin password, long enough";
    static String sessionCookie;

    /** Ollama's model management: admin only, although under {@code /api}. */
    static final Set<String> OLLAMA_MANAGEMENT =
            Set.of("POST /api/pull", "POST /api/push", "POST /api/create", "POST /api/copy", "DELETE /api/delete");

    static Gateway gw;
    static FakeUpstream upstream;
    static String userToken;
    static long nodeId;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start(Map.of("maestro.admin.username", "root", "maestro.admin.password", ADMIN_PASSWORD));
        sessionCookie = signIn();
        nodeId = gw.createNode("matrix-node", "matrix", "openai", upstream.baseUrl());
        gw.map("matrix-model", "m");
        userToken = gw.createUser("matrix-user");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static List<Credential> adminCredentials() {
        return List.of(
                new Credential("admin bearer token", b -> b.header("Authorization", "Bearer " + Gateway.ADMIN_TOKEN)),
                new Credential("admin token as x-api-key", b -> b.header("x-api-key", Gateway.ADMIN_TOKEN)),
                // A person signed in to the admin site: the session cookie, with the CSRF header the site sends.
                new Credential(
                        "admin site session",
                        b -> b.header("Cookie", "maestro_admin_session=" + sessionCookie)
                                .header("X-Maestro-CSRF", "1")));
    }

    static String signIn() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/admin/session"))
                .header("Content-Type", "application/json")
                .header("X-Maestro-CSRF", "1")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"root\",\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                .build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
            return setCookie.substring("maestro_admin_session=".length(), setCookie.indexOf(';'));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Credential userCredential() {
        return new Credential("user token", b -> b.header("Authorization", "Bearer " + userToken));
    }

    /** Method and path template of every route that needs the ADMIN role. */
    static List<String> adminRoutes() {
        Router router = gw.bean(Router.class);
        List<String> routes = new ArrayList<>();
        router.uriRoutes()
                .sorted(Comparator.comparing(r -> r.getUriMatchTemplate().toString()))
                .forEach(r -> {
                    String route = key(r);
                    String path = r.getUriMatchTemplate().toString();
                    boolean admin = path.equals("/admin") || path.startsWith("/admin/");
                    boolean docs = path.equals("/api/docs") || path.startsWith("/api/docs/");
                    if ((admin || docs || OLLAMA_MANAGEMENT.contains(route))
                            && r.getHttpMethod() != HttpMethod.HEAD
                            && r.getHttpMethod() != HttpMethod.OPTIONS
                            && !PUBLIC_ROUTES.contains(route)
                            && !routes.contains(route)) {
                        routes.add(route);
                    }
                });
        return routes;
    }

    static String key(UriRouteInfo<?, ?> r) {
        return r.getHttpMethodName() + " " + r.getUriMatchTemplate().toString();
    }

    @TestFactory
    Stream<DynamicTest> every_admin_route_needs_the_admin_role() {
        List<String> routes = adminRoutes();
        // The enumeration really sees the admin API (a broken filter would make every check below vacuous).
        assertThat(routes)
                .contains(
                        "GET /admin/users",
                        "POST /admin/users",
                        "PATCH /admin/nodes/batch/priority",
                        "GET /admin/settings",
                        "PUT /admin/settings",
                        "GET /admin/audit-logs",
                        "GET /admin/dashboard/stats",
                        "GET /api/docs",
                        "GET /api/docs/openapi.yml",
                        "POST /api/pull",
                        "DELETE /api/delete")
                .hasSizeGreaterThan(50);
        // Users first: the admin calls below may deactivate the user or rotate its token.
        Stream<DynamicTest> anonymous = routes.stream()
                .map(route -> dynamicTest("no credential: " + route, () -> {
                    HttpResponse<String> r = send(route, null);
                    assertThat(r.statusCode()).as(route + " → " + r.body()).isEqualTo(401);
                }));
        Stream<DynamicTest> user = routes.stream()
                .map(route -> dynamicTest("user token: " + route, () -> {
                    HttpResponse<String> r = send(route, userCredential());
                    assertThat(r.statusCode()).as(route + " → " + r.body()).isEqualTo(403);
                }));
        Stream<DynamicTest> admin = adminCredentials().stream()
                .flatMap(c -> routes.stream()
                        // The site's session is for the admin API and its docs, not for Ollama's model management.
                        .filter(route -> !c.name().equals("admin site session") || !OLLAMA_MANAGEMENT.contains(route))
                        .map(route -> dynamicTest(c.name() + ": " + route, () -> {
                            HttpResponse<String> r = send(route, c);
                            assertThat(r.statusCode())
                                    .as(route + " → " + r.body())
                                    .isNotIn(401, 403)
                                    .isLessThan(500);
                            assertThat(r.body()).as(route).doesNotContain("No such endpoint");
                        })));
        return Stream.of(anonymous, user, admin).flatMap(s -> s);
    }

    static final Pattern VARIABLE = Pattern.compile("\\{\\+?([A-Za-z0-9_]+)[^}]*}");

    /** A concrete path for a template: existing entities where the route names one. */
    static String expand(String template) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "username" -> "matrix-user";
                case "id", "nodeId" -> String.valueOf(nodeId);
                case "name", "model" -> "matrix-model";
                case "key" -> "dashboard.default_days";
                case "file" -> "swagger-ui.css";
                default -> "1";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static HttpResponse<String> send(String route, Credential credential) {
        int space = route.indexOf(' ');
        String method = route.substring(0, space);
        String path = expand(route.substring(space + 1));
        boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (credential != null) {
            credential.apply().accept(b);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
