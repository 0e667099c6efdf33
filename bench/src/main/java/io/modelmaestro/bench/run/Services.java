package io.modelmaestro.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Starts what the benchmark measures: the mock, nginx, the gateway (as a black box) and Portkey. */
final class Services {

    private static final HttpClient ADMIN = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Services() {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Proc mock(String java, String classpath, int port, int threads, Path dir, long maxSeconds) throws Exception {
        Proc p = Proc.start(
                "mock",
                List.of(
                        java,
                        "-XX:+UseParallelGC",
                        "-Xms256m",
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        classpath,
                        "io.modelmaestro.bench.Main",
                        "mock",
                        "--port",
                        Integer.toString(port),
                        "--threads",
                        Integer.toString(threads),
                        "--max-seconds",
                        Long.toString(maxSeconds)),
                Map.of(),
                dir.resolve("mock.log"),
                maxSeconds + 30);
        awaitHttp(p, "http://127.0.0.1:" + port + "/health", 30);
        return p;
    }

    /** nginx {@code proxy_pass} with upstream keepalive and no buffering: the floor any proxy pays here. */
    static Proc nginx(String nginx, int port, int mockPort, int workers, Path dir, long maxSeconds) throws Exception {
        Path prefix = dir.resolve("nginx");
        Files.createDirectories(prefix.resolve("temp"));
        String conf = """
                daemon off;
                master_process on;
                worker_processes %d;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 8192; }
                http {
                    access_log off;
                    client_body_temp_path %s/temp/body;
                    proxy_temp_path %s/temp/proxy;
                    fastcgi_temp_path %s/temp/fastcgi;
                    uwsgi_temp_path %s/temp/uwsgi;
                    scgi_temp_path %s/temp/scgi;
                    keepalive_requests 1000000;
                    keepalive_timeout 300s;
                    upstream mock {
                        server 127.0.0.1:%d;
                        keepalive 256;
                        keepalive_requests 1000000;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://mock;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                            proxy_read_timeout 300s;
                        }
                    }
                }
                """.formatted(workers, prefix, prefix, prefix, prefix, prefix, prefix, prefix, mockPort, port);
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        Proc p = Proc.start(
                "nginx",
                List.of(
                        nginx,
                        "-p",
                        prefix.toString(),
                        "-c",
                        prefix.resolve("nginx.conf").toString(),
                        "-e",
                        prefix.resolve("error.log").toString()),
                Map.of(),
                dir.resolve("nginx.log"),
                maxSeconds);
        awaitHttp(p, "http://127.0.0.1:" + port + "/health", 30);
        return p;
    }

    /** The Portkey gateway from npm ({@code node build/start-server.js --port=P --headless}). */
    static Proc portkey(String startServerJs, int port, Path dir, long maxSeconds) throws Exception {
        Proc p = Proc.start(
                "portkey",
                List.of("node", startServerJs, "--port=" + port, "--headless"),
                Map.of("TRUSTED_CUSTOM_HOSTS", "127.0.0.1,localhost", "NODE_ENV", "production"),
                dir.resolve("portkey.log"),
                maxSeconds);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IOException("portkey exited: " + p.tail(20));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.stop();
        throw new IOException("portkey did not open its port: " + p.tail(20));
    }

    /** A running gateway and what the harness set up in it. */
    record Gateway(Proc proc, int port, Path dataDir, String userToken, String adminToken, int sqsPort) {
        /** Its embedded SQS-compatible queue ({@code EMBEDDED_SQS_PORT}). */
        String sqsEndpoint() {
            return "http://127.0.0.1:" + sqsPort;
        }

        Path pgData() {
            return dataDir.resolve("postgres");
        }

        /** Stops the gateway, then its embedded PostgreSQL if it outlived it. */
        void stop() {
            long pg = ActivityDb.postmasterPid(pgData());
            proc.stop();
            if (pg > 0) {
                ProcessHandle.of(pg).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            }
        }
    }

    /**
     * Starts the gateway jar as a user would (environment variables of the README), waits for {@code /health}, then
     * through the admin API: creates the user {@code bench}, an {@code openai} node {@code mock} in front of the mock,
     * and the mapping {@code bench-model → mock-model}, and switches the seeded node off.
     */
    static Gateway gateway(
            String name,
            String java,
            String jar,
            List<String> javaOpts,
            int port,
            int mockPort,
            Path dir,
            long maxSeconds)
            throws Exception {
        Path data = dir.resolve(name + "-data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        String adminToken = "bench-admin-token-" + Long.toHexString(System.nanoTime());
        int sqsPort = freePort();
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java);
        cmd.addAll(javaOpts);
        cmd.add("-jar");
        cmd.add(jar);
        Proc p = Proc.start(
                name,
                cmd,
                Map.of(
                        "MAESTRO_DATA_DIR",
                        data.toString(),
                        "PORT",
                        Integer.toString(port),
                        "ADMIN_TOKEN",
                        adminToken,
                        "OLLAMA_BASE_URL",
                        "http://127.0.0.1:" + mockPort,
                        "LOG_LEVEL",
                        "WARN",
                        "EMBEDDED_SQS_PORT",
                        Integer.toString(sqsPort)),
                dir.resolve(name + ".log"),
                maxSeconds);
        String base = "http://127.0.0.1:" + port;
        awaitHttp(p, base + "/health", 180);
        JsonNode user = admin("POST", base + "/admin/users", adminToken, "{\"username\":\"bench\"}");
        String token = user.path("token").asText();
        JsonNode nodes = admin("GET", base + "/admin/nodes", adminToken, null);
        for (JsonNode n : nodes) {
            // The seeded node (OLLAMA_BASE_URL) is switched off: only the harness's node serves.
            if (n.path("is_active").asBoolean(true)) {
                admin("PATCH", base + "/admin/nodes/" + n.path("id").asText() + "/toggle", adminToken, null);
            }
        }
        admin(
                "POST",
                base + "/admin/nodes",
                adminToken,
                "{\"name\":\"mock\",\"code\":\"mock\",\"node_type\":\"openai\",\"base_url\":\"http://127.0.0.1:"
                        + mockPort + "/v1\"}");
        admin(
                "POST",
                base + "/admin/model-mappings",
                adminToken,
                "{\"display_name\":\"bench-model\",\"real_name\":\"mock-model\"}");
        if (token.isEmpty()) {
            throw new IOException("no user token from the admin API: " + user);
        }
        return new Gateway(p, port, data, token, adminToken, sqsPort);
    }

    static JsonNode admin(String method, String url, String token, @Nullable String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = ADMIN.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? Json.object() : Json.parse(r.body());
    }

    static void awaitHttp(Proc p, String url, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IOException(p.name() + " exited during start-up:\n" + p.tail(30));
            }
            try {
                HttpResponse<Void> r = ADMIN.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IOException(
                p.name() + " not answering " + url + " after " + seconds + " s (" + last + "):\n" + p.tail(30));
    }
}
