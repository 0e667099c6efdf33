package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.MutableClock;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.AdminAccountRepository;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin site's sign-in: sessions, cookie flags, CSRF refusals, throttling, expiry, sign-out (ADR 0012). */
class AdminSessionTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static Gateway gw;

    @BeforeAll
    static void start() {
        gw = Gateway.start(Map.of("maestro.admin.username", "root", "maestro.admin.password", PASSWORD));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A request to the shared gateway; {@code headers} are name/value pairs. */
    private static HttpResponse<String> send(Gateway g, String method, String path, String body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> signIn(Gateway g, String user, String password, String... extra) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json", "X-Maestro-CSRF", "1"));
        headers.addAll(List.of(extra));
        return send(
                g,
                "POST",
                "/admin/session",
                Json.writeString(Map.of("username", user, "password", password)),
                headers.toArray(String[]::new));
    }

    /** The session cookie's value from a sign-in answer. */
    private static String cookie(HttpResponse<String> signedIn) {
        String setCookie = signedIn.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith("maestro_admin_session=");
        return setCookie.substring("maestro_admin_session=".length(), setCookie.indexOf(';'));
    }

    @Test
    void sign_in_sets_a_strict_http_only_cookie_and_the_session_calls_admin_routes() {
        HttpResponse<String> r = signIn(gw, "root", PASSWORD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("username").asText()).isEqualTo("root");
        Instant expires = Instant.parse(body.get("expires_at").asText());
        assertThat(expires)
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(110)),
                        Instant.now().plus(Duration.ofHours(3)));
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie)
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/");
        assertThat(setCookie).as("plain HTTP: no Secure flag").doesNotContain("Secure");
        String value = cookie(r);
        assertThat(value).matches("^[A-Za-z0-9_-]{43}$"); // 256 bits, base64url

        String c = "maestro_admin_session=" + value;
        HttpResponse<String> users = send(gw, "GET", "/admin/users", null, "Cookie", c);
        assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
        HttpResponse<String> me = send(gw, "GET", "/admin/session", null, "Cookie", c);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Json.parse(me.body()).get("username").asText()).isEqualTo("root");

        // A mutation with the CSRF header and a same-origin Origin works, and is audited under the person's name.
        String host = URI.create(gw.baseUrl()).getAuthority();
        HttpResponse<String> created = send(
                gw,
                "POST",
                "/admin/users",
                "{\"username\":\"made-by-session\"}",
                "Cookie",
                c,
                "Content-Type",
                "application/json",
                "X-Maestro-CSRF",
                "1",
                "Origin",
                "http://" + host);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.parse(created.body()).get("token").asText()).isNotBlank();
        Iterable<AuditLogEntity> audit = gw.bean(AuditLogRepository.class).findAll();
        assertThat(StreamSupport.stream(audit.spliterator(), false)
                        .filter(a -> a.action().equals("create_user"))
                        .map(AuditLogEntity::performedBy))
                .containsExactly("root");
    }

    @Test
    void https_requests_get_a_secure_cookie() {
        HttpResponse<String> r = signIn(gw, "root", PASSWORD, "X-Forwarded-Proto", "https");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");
    }

    @Test
    void wrong_password_and_unknown_user_are_the_same_401_and_set_no_cookie() {
        HttpResponse<String> wrong = signIn(gw, "root", "not the password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body()).get("detail").asText()).isEqualTo("Invalid username or password");
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        HttpResponse<String> unknown = signIn(gw, "nobody", PASSWORD);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        HttpResponse<String> missing = send(
                gw,
                "POST",
                "/admin/session",
                "{\"username\":\"root\"}",
                "Content-Type",
                "application/json",
                "X-Maestro-CSRF",
                "1");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Json.parse(missing.body()).get("field").asText()).isEqualTo("password");
    }

    @Test
    void the_password_is_stored_only_as_an_argon2id_hash() {
        String hash = gw.bean(AdminAccountRepository.class)
                .findByUsername("root")
                .orElseThrow()
                .passwordHash();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
    }

    @Test
    void cookie_requests_without_the_csrf_header_or_from_another_origin_are_refused() {
        String c = "maestro_admin_session=" + cookie(signIn(gw, "root", PASSWORD));
        HttpResponse<String> noHeader = send(
                gw,
                "POST",
                "/admin/users",
                "{\"username\":\"csrf-victim\"}",
                "Cookie",
                c,
                "Content-Type",
                "application/json");
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(Json.parse(noHeader.body()).get("detail").asText()).contains("X-Maestro-CSRF");

        HttpResponse<String> otherOrigin = send(
                gw,
                "POST",
                "/admin/users",
                "{\"username\":\"csrf-victim\"}",
                "Cookie",
                c,
                "Content-Type",
                "application/json",
                "X-Maestro-CSRF",
                "1",
                "Origin",
                "https://evil.example");
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = send(
                gw,
                "POST",
                "/admin/users",
                "{\"username\":\"csrf-victim\"}",
                "Cookie",
                c,
                "Content-Type",
                "application/json",
                "X-Maestro-CSRF",
                "1",
                "Sec-Fetch-Site",
                "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<String> signInNoHeader = send(
                gw,
                "POST",
                "/admin/session",
                Json.writeString(Map.of("username", "root", "password", PASSWORD)),
                "Content-Type",
                "application/json");
        assertThat(signInNoHeader.statusCode()).isEqualTo(403);

        assertThat(gw.admin("GET", "/admin/users/csrf-victim", null).statusCode())
                .isEqualTo(404);
        // The static admin token needs no CSRF header: it is never in a browser.
        assertThat(gw.admin("POST", "/admin/users", "{\"username\":\"by-token\"}")
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void sign_out_invalidates_the_session_on_the_server() {
        String c = "maestro_admin_session=" + cookie(signIn(gw, "root", PASSWORD));
        assertThat(send(gw, "GET", "/admin/nodes", null, "Cookie", c).statusCode())
                .isEqualTo(200);
        HttpResponse<String> noCsrf = send(gw, "DELETE", "/admin/session", null, "Cookie", c);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> out = send(gw, "DELETE", "/admin/session", null, "Cookie", c, "X-Maestro-CSRF", "1");
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
        // The browser would drop the cookie; a copy kept elsewhere is worthless now.
        assertThat(send(gw, "GET", "/admin/nodes", null, "Cookie", c).statusCode())
                .isEqualTo(401);
        assertThat(send(gw, "GET", "/admin/session", null, "Cookie", c).statusCode())
                .isEqualTo(401);
    }

    @Test
    void the_cookie_is_not_a_credential_outside_admin_nor_a_forged_one_anywhere() {
        String c = "maestro_admin_session=" + cookie(signIn(gw, "root", PASSWORD));
        assertThat(send(gw, "GET", "/v1/models", null, "Cookie", c).statusCode())
                .isEqualTo(401);
        // Nor on Ollama's model management (admin-only, but part of the LLM API) ...
        assertThat(send(gw, "POST", "/api/pull", "{\"model\":\"x\"}", "Cookie", c, "X-Maestro-CSRF", "1")
                        .statusCode())
                .isEqualTo(401);
        // ... while the API docs, which the issue puts behind the admin sign-in, accept it.
        assertThat(send(gw, "GET", "/api/docs/openapi.yml", null, "Cookie", c).statusCode())
                .isEqualTo(200);
        String forged = "maestro_admin_session=" + "A".repeat(43);
        assertThat(send(gw, "GET", "/admin/users", null, "Cookie", forged).statusCode())
                .isEqualTo(401);
        assertThat(send(gw, "GET", "/admin/session", null).statusCode()).isEqualTo(401);
    }

    @Test
    void failed_sign_ins_are_throttled_and_sessions_expire_when_idle() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
        try (Gateway g =
                Gateway.start(Map.of("maestro.admin.username", "ops", "maestro.admin.password", PASSWORD), clock)) {
            for (int i = 0; i < 5; i++) {
                assertThat(signIn(g, "ops", "guess-" + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> locked = signIn(g, "ops", PASSWORD);
            assertThat(locked.statusCode()).as("even the right password waits").isEqualTo(429);
            assertThat(Long.parseLong(locked.headers().firstValue("retry-after").orElseThrow()))
                    .isBetween(1L, 900L);
            clock.advance(Duration.ofMinutes(15).plusSeconds(1));
            HttpResponse<String> ok = signIn(g, "ops", PASSWORD);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

            String c = "maestro_admin_session=" + cookie(ok);
            clock.advance(Duration.ofMinutes(90));
            assertThat(send(g, "GET", "/admin/users", null, "Cookie", c).statusCode())
                    .isEqualTo(200);
            // Used 90 minutes in: the idle timer (2 h) restarts then.
            clock.advance(Duration.ofMinutes(100));
            assertThat(send(g, "GET", "/admin/users", null, "Cookie", c).statusCode())
                    .isEqualTo(200);
            clock.advance(Duration.ofHours(2).plusMinutes(1));
            assertThat(send(g, "GET", "/admin/users", null, "Cookie", c).statusCode())
                    .as("idle for more than 2 h")
                    .isEqualTo(401);

            String c2 = "maestro_admin_session=" + cookie(signIn(g, "ops", PASSWORD));
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(100));
                send(g, "GET", "/admin/users", null, "Cookie", c2);
            }
            assertThat(send(g, "GET", "/admin/users", null, "Cookie", c2).statusCode())
                    .as("never idle, but past the absolute 8 h")
                    .isEqualTo(401);
        }
    }

    @Test
    void batch_priority_reorders_nodes_all_or_nothing() {
        try (FakeUpstream upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false)) {
            long a = gw.createNode("prio-a", "prio-a", "openai", upstream.baseUrl(), 10, 100);
            long b = gw.createNode("prio-b", "prio-b", "openai", upstream.baseUrl(), 5, 100);
            String body = "{\"priorities\":[{\"id\":" + a + ",\"priority\":100},{\"id\":" + b + ",\"priority\":200}]}";
            HttpResponse<String> r = gw.admin("PATCH", "/admin/nodes/batch/priority", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<String> order = new ArrayList<>();
            Json.parse(r.body()).forEach(n -> {
                if (n.get("name").asText().startsWith("prio-")) {
                    order.add(n.get("name").asText() + "=" + n.get("priority").asInt());
                }
            });
            assertThat(order).containsExactly("prio-b=200", "prio-a=100");

            String unknown = "{\"priorities\":[{\"id\":" + a + ",\"priority\":1},{\"id\":999999,\"priority\":2}]}";
            HttpResponse<String> refused = gw.admin("PATCH", "/admin/nodes/batch/priority", unknown);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(Json.parse(refused.body()).get("field").asText()).isEqualTo("priorities[1].id");
            assertThat(Json.parse(gw.admin("GET", "/admin/nodes/" + a, null).body())
                            .get("priority")
                            .asInt())
                    .as("rolled back")
                    .isEqualTo(100);
            HttpResponse<String> bad =
                    gw.admin("PATCH", "/admin/nodes/batch/priority", "{\"priorities\":[{\"id\":1}]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(gw.admin("PATCH", "/admin/nodes/batch/priority", "{\"priorities\":[]}")
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    @Test
    void the_site_is_public_and_nothing_else_under_admin_is() {
        HttpResponse<String> index = send(gw, "GET", "/admin/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
                .contains("frame-ancestors 'none'");
        assertThat(index.headers().firstValue("x-frame-options").orElseThrow()).isEqualTo("DENY");
        assertThat(index.body()).contains("/admin/assets/");
        assertThat(send(gw, "GET", "/admin", null).statusCode()).isEqualTo(200);
        HttpResponse<String> js = send(gw, "GET", "/admin/assets/app-test.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
        assertThat(send(gw, "GET", "/admin/assets/missing.js", null).statusCode())
                .isEqualTo(404);
        assertThat(send(gw, "GET", "/admin/assets/..%2F..%2Fapplication.yml", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send(gw, "GET", "/admin/assets/.hidden", null).statusCode()).isEqualTo(404);
        assertThat(send(gw, "GET", "/admin/users", null).statusCode()).isEqualTo(401);
        assertThat(send(gw, "GET", "/admin/nodes", null).statusCode()).isEqualTo(401);
    }
}
