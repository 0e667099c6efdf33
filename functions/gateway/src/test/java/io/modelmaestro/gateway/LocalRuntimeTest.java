package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.modelmaestro.gateway.local.LocalSettings;
import io.modelmaestro.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local runtime as {@code scripts/run} starts it: settings from environment variables, an embedded PostgreSQL in
 * the data directory, generated secrets kept there — and all of it still there after a restart.
 */
class LocalRuntimeTest {

    Path dataDir;

    @AfterEach
    void cleanUp() throws Exception {
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Running(ApplicationContext context, LocalSettings settings) implements AutoCloseable {
        String baseUrl() {
            return "http://127.0.0.1:" + context.getBean(EmbeddedServer.class).getPort();
        }

        @Override
        public void close() {
            context.close();
            settings.stopEmbedded();
        }
    }

    Running start(Map<String, String> env) {
        LocalSettings settings = new LocalSettings(env::get);
        Map<String, Object> props = settings.resolve();
        props.put("micronaut.server.port", -1);
        ApplicationContext context = Micronaut.build(new String[0])
                .mainClass(LocalMain.class)
                .properties(props)
                .banner(false)
                .start();
        return new Running(context, settings);
    }

    static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void data_secrets_and_tokens_survive_a_restart() throws Exception {
        dataDir = Files.createTempDirectory(
                "maestro-local-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Map<String, String> env = new HashMap<>();
        env.put("MAESTRO_DATA_DIR", dataDir.toString());
        env.put("OLLAMA_BASE_URL", "http://127.0.0.1:11999");

        String adminToken;
        String userToken;
        try (Running first = start(env)) {
            adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
            assertThat(adminToken).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("jwt-secret")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(call("GET", first.baseUrl() + "/health", null, null).statusCode())
                    .isEqualTo(200);
            // The admin site's password was generated into the data directory (0600), and it signs in.
            Path passwordFile = dataDir.resolve("admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(passwordFile).strip();
            HttpResponse<String> signIn = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(first.baseUrl() + "/admin/session"))
                                    .header("Content-Type", "application/json")
                                    .header("X-Maestro-CSRF", "1")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            Json.writeString(Map.of("username", "admin", "password", password))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);

            HttpResponse<String> nodes = call("GET", first.baseUrl() + "/admin/nodes", adminToken, null);
            assertThat(nodes.statusCode()).isEqualTo(200);
            assertThat(Json.parse(nodes.body())).hasSize(1);
            assertThat(Json.parse(nodes.body()).get(0).get("base_url").asText()).isEqualTo("http://127.0.0.1:11999");
            assertThat(Json.parse(nodes.body()).get(0).get("code").asText()).isEqualTo("local");

            HttpResponse<String> user =
                    call("POST", first.baseUrl() + "/admin/users", adminToken, "{\"username\":\"zoe\"}");
            assertThat(user.statusCode()).isEqualTo(201);
            userToken = Json.parse(user.body()).get("token").asText();
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")))
                .isTrue();

        try (Running second = start(env)) {
            // Same generated admin token, same database: the user and its token are still valid, and the
            // seed did not add the first node twice.
            assertThat(Files.readString(dataDir.resolve("admin-token")).strip()).isEqualTo(adminToken);
            HttpResponse<String> nodes = call("GET", second.baseUrl() + "/admin/nodes", adminToken, null);
            assertThat(Json.parse(nodes.body())).hasSize(1);
            HttpResponse<String> models = call("GET", second.baseUrl() + "/v1/models", userToken, null);
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(Json.parse(models.body()).get("object").asText()).isEqualTo("list");
        }
    }

    @Test
    void explicit_environment_wins_over_generated_values() throws Exception {
        dataDir = Files.createTempDirectory(
                "maestro-local-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Map<String, String> env = new HashMap<>();
        env.put("MAESTRO_DATA_DIR", dataDir.toString());
        env.put("ADMIN_TOKEN", "my-own-admin-token-0123456789");
        env.put("PORT", "8123");
        env.put("MAESTRO_SELECTION_STRATEGY", "round-robin");
        env.put("MAESTRO_ADMIN_USERNAME", "ops");
        env.put("MAESTRO_ADMIN_PASSWORD", "an admin password");
        LocalSettings settings = new LocalSettings(env::get);
        try {
            Map<String, Object> props = settings.resolve();
            assertThat(props.get("maestro.admin.username")).isEqualTo("ops");
            assertThat(props.get("maestro.admin.password")).isEqualTo("an admin password");
            assertThat(Files.exists(dataDir.resolve("admin-password"))).isFalse();
            assertThat(props.get("maestro.admin-token")).isEqualTo("my-own-admin-token-0123456789");
            assertThat(props.get("micronaut.server.port")).isEqualTo(8123);
            assertThat(props.get("maestro.selection-strategy")).isEqualTo("round-robin");
            assertThat(Files.exists(dataDir.resolve("admin-token"))).isFalse();
        } finally {
            settings.stopEmbedded();
        }
    }

    @Test
    void database_url_is_accepted_in_both_common_forms() {
        Map<String, String> env = Map.of(
                "MAESTRO_DATA_DIR",
                System.getProperty("java.io.tmpdir") + "/maestro-url-test",
                "DATABASE_URL",
                "postgresql://maestro:s%40cret@db.internal:5433/gateway?sslmode=require",
                "SQS_QUEUE_URL", // an external queue: no embedded one to start and stop here
                "http://127.0.0.1:9/queue/unused");
        Map<String, Object> props = new LocalSettings(env::get).resolve();
        assertThat(props.get("datasources.default.url"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/gateway?sslmode=require");
        assertThat(props.get("datasources.default.username")).isEqualTo("maestro");
        assertThat(props.get("datasources.default.password")).isEqualTo("s@cret");

        Map<String, String> jdbc = Map.of(
                "MAESTRO_DATA_DIR",
                System.getProperty("java.io.tmpdir") + "/maestro-url-test",
                "DATABASE_URL",
                "jdbc:postgresql://localhost/x",
                "SQS_QUEUE_URL",
                "http://127.0.0.1:9/queue/unused");
        assertThat(new LocalSettings(jdbc::get).resolve().get("datasources.default.url"))
                .isEqualTo("jdbc:postgresql://localhost/x");
    }

    @Test
    void a_short_admin_token_stops_the_start_naming_the_variable_not_the_value() {
        Map<String, String> env = Map.of(
                "MAESTRO_DATA_DIR",
                System.getProperty("java.io.tmpdir") + "/maestro-short-token-test",
                "ADMIN_TOKEN",
                "short-secret",
                "DATABASE_URL",
                "jdbc:postgresql://localhost/x",
                "SQS_QUEUE_URL",
                "http://127.0.0.1:9/queue/unused");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LocalSettings(env::get).resolve())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADMIN_TOKEN")
                .hasMessageNotContaining("short-secret");
    }
}
