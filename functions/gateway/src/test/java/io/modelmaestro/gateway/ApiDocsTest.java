package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code /api/docs}: Swagger UI and the generated OpenAPI document, served by the Netty runtime, admin only. */
class ApiDocsTest {

    static Gateway gw;

    @BeforeAll
    static void start() {
        gw = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void swagger_ui_page_and_its_files_are_served_from_the_jar() throws Exception {
        HttpResponse<String> page = gw.admin("GET", "/api/docs", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body())
                .contains("<div id=\"swagger-ui\"></div>", "/api/docs/assets/swagger-ui-bundle.js")
                .doesNotContain("cdn.", "unpkg", "<script>");
        assertThat(page.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));

        HttpResponse<String> init = gw.admin("GET", "/api/docs/swagger-initializer.js", null);
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.body()).contains("url: \"/api/docs/openapi.yml\"");

        HttpResponse<String> js = gw.admin("GET", "/api/docs/assets/swagger-ui-bundle.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript");
        assertThat(js.body()).contains("SwaggerUIBundle").hasSizeGreaterThan(100_000);
        HttpResponse<String> css = gw.admin("GET", "/api/docs/assets/swagger-ui.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("content-type")).hasValue("text/css");

        for (String path : List.of(
                "/api/docs/assets/index.html", "/api/docs/assets/..%2F..%2Fapplication.yml", "/api/docs/nothing")) {
            HttpResponse<String> missing = gw.admin("GET", path, null);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(Json.parse(missing.body()).has("detail")).as(path).isTrue();
        }
    }

    /** What a browser and curl send: {@code *}{@code /*} for scripts, HTML first for the page. */
    @Test
    void every_docs_route_answers_the_accept_headers_browsers_and_curl_send() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Map<String, String> expected = Map.of(
                "/api/docs", "text/html",
                "/api/docs/openapi.yml", "application/yaml",
                "/api/docs/swagger-initializer.js", "text/javascript",
                "/api/docs/assets/swagger-ui-bundle.js", "text/javascript",
                "/api/docs/assets/swagger-ui.css", "text/css");
        for (String accept : List.of(
                "*/*",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "application/json,*/*",
                "text/css,*/*;q=0.1")) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(gw.baseUrl() + e.getKey()))
                                .header("Authorization", "Bearer " + Gateway.ADMIN_TOKEN)
                                .header("Accept", accept)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(e.getKey() + " [" + accept + "]").isEqualTo(200);
                assertThat(r.headers().firstValue("content-type"))
                        .as(e.getKey() + " [" + accept + "]")
                        .hasValueSatisfying(t -> assertThat(t).startsWith(e.getValue()));
            }
        }
    }

    @Test
    void docs_need_the_admin_role_and_answer_in_the_admin_error_shape() {
        String userToken = gw.createUser("reader");
        for (String path : List.of("/api/docs", "/api/docs/openapi.yml", "/api/docs/assets/swagger-ui.css")) {
            HttpResponse<String> anonymous = gw.call("GET", path, null, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(Json.parse(anonymous.body()).get("detail").asText()).contains("Missing authorization");
            HttpResponse<String> user = gw.call("GET", path, userToken, null);
            assertThat(user.statusCode()).as(path).isEqualTo(403);
            assertThat(Json.parse(user.body()).get("detail").asText()).isEqualTo("Invalid admin token");
        }
        // A refused docs call is not an LLM request: it leaves no activity row.
        gw.flushActivity();
        HttpResponse<String> log = gw.admin("GET", "/admin/requests?limit=500", null);
        assertThat(log.body()).doesNotContain("/api/docs");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_document_describes_every_route_of_the_router() {
        HttpResponse<String> r = gw.admin("GET", "/api/docs/openapi.yml", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/yaml");
        Map<String, Object> doc = new Yaml().load(r.body());
        assertThat(doc.get("openapi").toString()).startsWith("3.");
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        Map<String, Object> schemes =
                (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("securitySchemes");
        assertThat(schemes).containsKey("bearer");

        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        gw.bean(Router.class).uriRoutes().forEach(route -> {
            String template = route.getUriMatchTemplate().toString();
            HttpMethod method = route.getHttpMethod();
            if (method == HttpMethod.HEAD
                    || method == HttpMethod.OPTIONS
                    || template.startsWith("/api/docs")
                    || template.startsWith("/admin/assets/")) {
                return; // the docs and the admin site's static files are not part of the API
            }
            String path = template.replace("{+", "{");
            String key = method.name() + " " + path;
            checked.add(key);
            Map<String, Object> item = paths.get(path);
            if (item == null || !item.containsKey(method.name().toLowerCase(Locale.ROOT))) {
                missing.add(key);
            }
        });
        assertThat(checked)
                .contains(
                        "POST /v1/chat/completions",
                        "POST /v1/completions",
                        "POST /v1/embeddings",
                        "GET /v1/models",
                        "POST /v1/messages",
                        "POST /claude/v1/messages",
                        "POST /api/chat",
                        "GET /api/tags",
                        "GET /admin/settings",
                        "GET /admin/model-mappings/{name}");
        assertThat(missing).as("routes missing from openapi.yml").isEmpty();

        // Response schemas use the JSON names the gateway writes (snake_case).
        Map<String, Object> schemas =
                (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(Json.writeString(schemas))
                .contains("\"is_active\"", "\"request_limit\"")
                .doesNotContain("\"isActive\"");
    }

    @Test
    void the_document_is_served_to_the_admin_token_sent_as_x_api_key() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/docs/openapi.yml"))
                .header("x-api-key", Gateway.ADMIN_TOKEN)
                .header("Accept", "application/json, text/plain, */*")
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("openapi:").contains("title: Model Maestro");
    }
}
