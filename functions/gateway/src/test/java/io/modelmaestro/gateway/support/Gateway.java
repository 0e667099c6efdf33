package io.modelmaestro.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.modelmaestro.activity.JdbcActivitySink;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The gateway started in-process on the real Netty server with a fresh embedded database, plus helpers that drive its
 * admin API over HTTP like an operator would.
 */
public final class Gateway implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Gateway(EmbeddedServer server) {
        this.server = server;
    }

    public static Gateway start() {
        return start(Map.of());
    }

    public static Gateway start(Map<String, Object> overrides) {
        return start(overrides, new Object[0]);
    }

    /** Starts with extra singletons replacing beans, e.g. a test clock ({@code java.time.InstantSource}). */
    /**
     * What every test application context needs: a fresh database, the admin token, fixed secrets, a catalog that
     * refreshes only when told. A new, mutable map each call (the Lambda handler tests start from it too).
     */
    public static Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("datasources.default.url", TestDatabase.freshJdbcUrl());
        props.put("datasources.default.username", "postgres");
        props.put("datasources.default.password", "");
        props.put("maestro.admin-token", ADMIN_TOKEN);
        props.put("maestro.jwt-secret", "test-jwt-secret-that-is-long-enough-for-hs256-0123456789");
        props.put("maestro.encryption-key", "test-encryption-key");
        props.put("maestro.catalog-refresh", "1h");
        return props;
    }

    public static Gateway start(Map<String, Object> overrides, Object... singletons) {
        Map<String, Object> props = properties();
        props.put("micronaut.server.port", -1);
        props.putAll(overrides);
        ApplicationContext context =
                ApplicationContext.builder().properties(props).build();
        for (Object singleton : singletons) {
            // Registered under each interface (e.g. InstantSource), so it replaces the secondary default bean.
            for (Class<?> type : singleton.getClass().getInterfaces()) {
                registerAs(context, type, singleton);
            }
        }
        context.start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        return new Gateway(server);
    }

    @SuppressWarnings("unchecked")
    private static <T> void registerAs(ApplicationContext context, Class<T> type, Object singleton) {
        context.registerSingleton(type, (T) singleton);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    /** Waits until every activity event produced so far is in the database. */
    public void flushActivity() {
        bean(JdbcActivitySink.class).flush();
    }

    /**
     * The newest activity row matching {@code match}, waiting up to 10 s for it. A stream's row is recorded when the
     * gateway's side of the stream ends, which can follow the client's last read, so one {@link #flushActivity} right
     * after the client returns may come too early.
     */
    public ActivityLogEntity awaitActivity(Predicate<ActivityLogEntity> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            flushActivity();
            Optional<ActivityLogEntity> row = bean(ActivityLogRepository.class).findAllOrderByIdDesc().stream()
                    .filter(match)
                    .findFirst();
            if (row.isPresent()) {
                return row.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching activity row within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> admin(String method, String path, String body) {
        return call(method, path, ADMIN_TOKEN, body);
    }

    private JsonNode adminOk(String method, String path, String body) {
        HttpResponse<String> r = admin(method, path, body);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return Json.parse(r.body());
    }

    /** Creates a user and returns its token. */
    public String createUser(String username) {
        return adminOk("POST", "/admin/users", "{\"username\":\"" + username + "\"}")
                .get("token")
                .asText();
    }

    public long createNode(String name, String code, String type, String baseUrl, int priority, int weight) {
        String body = Json.writeString(Map.of(
                "name", name,
                "code", code,
                "node_type", type,
                "base_url", baseUrl,
                "priority", priority,
                "weight", weight));
        return adminOk("POST", "/admin/nodes", body).get("id").asLong();
    }

    public long createNode(String name, String code, String type, String baseUrl) {
        return createNode(name, code, type, baseUrl, 0, 100);
    }

    public void map(String display, String real, long... nodeIds) {
        Map<String, Object> body = new HashMap<>();
        body.put("display_name", display);
        body.put("real_name", real);
        if (nodeIds.length > 0) {
            body.put("node_ids", nodeIds);
        }
        adminOk("POST", "/admin/model-mappings", Json.writeString(body));
    }

    @Override
    public void close() {
        server.close();
    }
}
