package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication and token lifecycle, and the attacks peers fell to (reliability.md §1.2, §1.5). */
class AuthTest {

    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String SECRET = "test-jwt-secret-that-is-long-enough-for-hs256-0123456789";

    static Gateway gw;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start();
        gw.createNode("n", "n1", "openai", upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static HttpResponse<String> withHeader(String name, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + CHAT))
                .header(name, value)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void create_returns_201_with_token_and_list_never_shows_tokens() {
        HttpResponse<String> created = gw.admin("POST", "/admin/users", "{\"username\":\"dave\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode user = Json.parse(created.body());
        assertThat(user.get("username").asText()).isEqualTo("dave");
        String token = user.get("token").asText();
        assertThat(token.split("\\.")).hasSize(3);

        HttpResponse<String> list = gw.admin("GET", "/admin/users", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("dave").doesNotContain(token).doesNotContain("token_id");

        HttpResponse<String> duplicate = gw.admin("POST", "/admin/users", "{\"username\":\"dave\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(Json.parse(duplicate.body()).get("field").asText()).isEqualTo("username");
    }

    @Test
    void bearer_and_x_api_key_both_authenticate_through_one_path() throws Exception {
        String token = gw.createUser("erin");
        assertThat(withHeader("Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(withHeader("x-api-key", token).statusCode()).isEqualTo(200);
        assertThat(withHeader("x-api-key", token + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void missing_token_is_401_in_openai_format() {
        HttpResponse<String> r = gw.call("POST", CHAT, null, BODY);
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode error = Json.parse(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(r.headers().firstValue("www-authenticate")).contains("Bearer");
        // Refused requests are in the activity log too, without a user; the response names the row.
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        List<io.modelmaestro.persistence.ActivityLogEntity> rows = gw.bean(
                        io.modelmaestro.persistence.ActivityLogRepository.class)
                .findByRequestId(java.util.UUID.fromString(awaitRow(id)));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).statusCode()).isEqualTo(401);
        assertThat(rows.get(0).userId()).isNull();
        assertThat(rows.get(0).errorClass()).isEqualTo("Unauthenticated");
    }

    static String awaitRow(String requestId) {
        return gw.awaitActivity(row -> row.requestId().toString().equals(requestId))
                .requestId()
                .toString();
    }

    @Test
    void rotating_a_token_revokes_the_old_one() {
        String old = gw.createUser("frank");
        assertThat(gw.call("POST", CHAT, old, BODY).statusCode()).isEqualTo(200);
        HttpResponse<String> rotated = gw.admin("PUT", "/admin/users/frank/token", null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String fresh = Json.parse(rotated.body()).get("token").asText();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(gw.call("POST", CHAT, old, BODY).statusCode()).isEqualTo(401);
        assertThat(gw.call("POST", CHAT, fresh, BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void deactivated_users_are_refused_and_reactivation_issues_a_new_token() {
        String token = gw.createUser("gina");
        // Used once first, so the deactivation must win over a token already validated (and remembered).
        assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
        assertThat(gw.admin("DELETE", "/admin/users/gina", null).statusCode()).isEqualTo(204);
        assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(401);
        HttpResponse<String> again = gw.admin("POST", "/admin/users", "{\"username\":\"gina\"}");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(Json.parse(again.body()).get("reactivated").asBoolean()).isTrue();
        String fresh = Json.parse(again.body()).get("token").asText();
        assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(401);
        assertThat(gw.call("POST", CHAT, fresh, BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void alg_none_is_refused() {
        String valid = gw.createUser("hank");
        JsonNode claims = claimsOf(valid);
        PlainJWT plain = new PlainJWT(toClaims(claims));
        assertThat(gw.call("POST", CHAT, plain.serialize(), BODY).statusCode()).isEqualTo(401);
        // The same with a header that claims "none" explicitly and an empty signature.
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String forged = header + "." + valid.split("\\.")[1] + ".";
        assertThat(gw.call("POST", CHAT, forged, BODY).statusCode()).isEqualTo(401);
    }

    @Test
    void algorithm_switching_and_foreign_secrets_are_refused() throws Exception {
        String valid = gw.createUser("ivan");
        JWTClaimsSet claims = toClaims(claimsOf(valid));
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS384), claims);
        hs512.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(gw.call("POST", CHAT, hs512.serialize(), BODY).statusCode()).isEqualTo(401);

        SignedJWT other = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        other.sign(
                new MACSigner("another-secret-that-is-long-enough-for-hs256-abcdef".getBytes(StandardCharsets.UTF_8)));
        assertThat(gw.call("POST", CHAT, other.serialize(), BODY).statusCode()).isEqualTo(401);

        // Correctly signed but minted by someone else: the jti is not the user's current token id.
        JWTClaimsSet minted =
                new JWTClaimsSet.Builder(claims).jwtID("not-the-current-id").build();
        SignedJWT stolenSecret = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), minted);
        stolenSecret.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(gw.call("POST", CHAT, stolenSecret.serialize(), BODY).statusCode())
                .isEqualTo(401);
    }

    @Test
    void a_correctly_signed_token_claiming_the_admin_role_or_expired_is_refused() throws Exception {
        String valid = gw.createUser("ines");
        JWTClaimsSet claims = toClaims(claimsOf(valid));
        // Signed with the real secret and the user's current jti, but claiming ADMIN: user tokens never carry it.
        JWTClaimsSet admin = new JWTClaimsSet.Builder(claims)
                .claim("roles", List.of("ADMIN"))
                .build();
        SignedJWT adminJwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), admin);
        adminJwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(gw.call("GET", "/admin/users", adminJwt.serialize(), null).statusCode())
                .isEqualTo(401);
        assertThat(gw.call("POST", CHAT, adminJwt.serialize(), BODY).statusCode())
                .isEqualTo(401);

        JWTClaimsSet expired = new JWTClaimsSet.Builder(claims)
                .expirationTime(new Date(System.currentTimeMillis() - 60_000))
                .build();
        SignedJWT expiredJwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), expired);
        expiredJwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(gw.call("POST", CHAT, expiredJwt.serialize(), BODY).statusCode())
                .isEqualTo(401);
        // The genuine token still works, before and after the forgeries (nothing was cached for them).
        assertThat(gw.call("POST", CHAT, valid, BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void user_tokens_are_checked_by_exactly_one_validator() {
        List<String> validators =
                gw.context().getBeansOfType(io.micronaut.security.token.validator.TokenValidator.class).stream()
                        .map(v -> v.getClass().getSimpleName())
                        .sorted()
                        .toList();
        assertThat(validators).containsExactly("AdminTokenValidator", "UserTokenValidator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "admin'--", "x\" OR \"1\"=\"1", "%00", "Bearer Bearer", "a.b.c", "....."})
    void injection_shaped_tokens_are_just_invalid(String token) {
        HttpResponse<String> r = gw.call("POST", CHAT, token, BODY);
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void admin_token_cannot_call_the_llm_api_and_user_tokens_cannot_call_admin() {
        String token = gw.createUser("judy");
        HttpResponse<String> adminOnLlm = gw.call("POST", CHAT, Gateway.ADMIN_TOKEN, BODY);
        assertThat(adminOnLlm.statusCode()).isEqualTo(403);
        HttpResponse<String> userOnAdmin = gw.call("GET", "/admin/users", token, null);
        assertThat(userOnAdmin.statusCode()).isEqualTo(403);
        assertThat(Json.parse(userOnAdmin.body()).has("detail")).isTrue();
        HttpResponse<String> wrongAdmin = gw.call("GET", "/admin/users", "not-the-admin-token-xxxxx", null);
        assertThat(wrongAdmin.statusCode()).isEqualTo(401);
    }

    @Test
    void every_route_but_the_liveness_ones_requires_authentication() {
        // The admin site's page, its assets and its sign-in/sign-out are public on purpose (ADR 0012).
        Set<String> open = Set.of(
                "GET /",
                "HEAD /",
                "GET /health",
                "GET /claude",
                "GET /admin",
                "GET /admin/assets/x",
                "POST /admin/session",
                "DELETE /admin/session");
        List<UriRouteInfo<?, ?>> routes = gw.bean(Router.class).uriRoutes().toList();
        assertThat(routes).isNotEmpty();
        for (UriRouteInfo<?, ?> route : routes) {
            String template = route.getUriMatchTemplate().toString();
            String path = template.replaceAll("\\{\\+?([^}]*)\\}", "x");
            String key = route.getHttpMethod() + " " + path;
            if (open.contains(key) || route.getHttpMethod() == HttpMethod.HEAD || path.equals("/x")) {
                continue;
            }
            String method = route.getHttpMethod().name();
            HttpResponse<String> r =
                    gw.call(method, path, null, method.equals("GET") || method.equals("DELETE") ? null : "{}");
            assertThat(r.statusCode()).as(key).isEqualTo(401);
        }
        assertThat(gw.call("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(gw.call("GET", "/", null, null).statusCode()).isEqualTo(200);
        assertThat(gw.call("GET", "/claude", null, null).statusCode()).isEqualTo(200);
        assertThat(gw.call("GET", "/admin", null, null).statusCode()).isEqualTo(200);
        assertThat(gw.call("GET", "/admin/assets/x", null, null).statusCode()).isEqualTo(404);
        assertThat(gw.call("GET", "/admin/session", null, null).statusCode()).isEqualTo(401);
        assertThat(gw.call("DELETE", "/admin/session", null, null).statusCode())
                .as("signing out without a session is a no-op")
                .isEqualTo(204);
        assertThat(gw.call("POST", "/admin/session", null, "{}").statusCode())
                .as("sign-in without the CSRF header")
                .isEqualTo(403);
    }

    @Test
    void every_admin_mutation_is_audited_without_secrets() {
        gw.createUser("kate");
        HttpResponse<String> node = gw.admin(
                "POST",
                "/admin/nodes",
                "{\"name\":\"audited\",\"base_url\":\"" + upstream.baseUrl()
                        + "\",\"node_type\":\"openai\",\"api_key\":\"sk-audit-secret\"}");
        assertThat(node.statusCode()).isEqualTo(201);
        List<AuditLogEntity> audit = gw.bean(AuditLogRepository.class).findAllOrderByIdDesc();
        Set<String> actions = audit.stream().map(AuditLogEntity::action).collect(Collectors.toSet());
        assertThat(actions).contains("create_user", "create_node");
        assertThat(audit)
                .allSatisfy(a -> assertThat(String.valueOf(a.details())).doesNotContain("sk-audit-secret"));
        assertThat(node.body()).doesNotContain("sk-audit-secret").contains("\"has_api_key\":true");
    }

    static JsonNode claimsOf(String jwt) {
        return Json.parse(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static JWTClaimsSet toClaims(JsonNode claims) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        Map<String, Object> map = Json.mapper().convertValue(claims, Map.class);
        map.forEach((k, v) -> {
            if (k.equals("iat")) {
                b.issueTime(new Date(((Number) v).longValue() * 1000));
            } else {
                b.claim(k, v);
            }
        });
        return b.build();
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
