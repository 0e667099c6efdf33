package io.modelmaestro.gateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.local.LocalSettings;
import io.modelmaestro.gateway.security.AdminTokenValidator;
import io.modelmaestro.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The configuration of every AWS function (the API handler, the activity consumer, the scheduled jobs, and the Netty
 * runtime behind the Lambda Web Adapter): everything comes from the environment and Secrets Manager, nothing is
 * embedded, generated or written to disk (a Lambda file system is read-only, and a generated secret would differ
 * between instances). Missing settings fail the start with a message naming the variable.
 *
 * <p>Variables (docs/deploy.md): {@code DATABASE_URL} (required; {@code jdbc:postgresql://…} or {@code
 * postgresql://…}), {@code DATABASE_SECRET_ARN} (the RDS secret: JSON with {@code username}, {@code password}); {@code
 * ADMIN_TOKEN}, {@code JWT_SECRET_KEY}, {@code MAESTRO_ENCRYPTION_KEY}, {@code ADMIN_PASSWORD}, each either set or
 * read from the plain-string secret named by the same variable with {@code _SECRET_ARN} appended;
 * {@code SQS_QUEUE_URL} (the activity queue; unset: rows are written directly), {@code SQS_ENDPOINT}, {@code
 * REDIS_URL}, {@code MAESTRO_ALLOWED_NETWORKS} (private ranges nodes may live in; none by default), {@code
 * MAESTRO_SELECTION_STRATEGY}, {@code OLLAMA_BASE_URL} (seeds a first node when set), {@code AWS_LWA_PORT} or {@code
 * PORT} (the Netty port, 8000), {@code SECRETS_MANAGER_ENDPOINT} (an endpoint override).
 */
public final class AwsSettings {

    private final Function<String, @Nullable String> env;
    private final Function<String, String> secretReader;

    /** Reads secrets from Secrets Manager. */
    public AwsSettings(Function<String, @Nullable String> env) {
        this.env = env;
        this.secretReader = arn -> readSecret(env, arn);
    }

    AwsSettings(Function<String, @Nullable String> env, Function<String, String> secretReader) {
        this.env = env;
        this.secretReader = secretReader;
    }

    /**
     * Whether the process runs on AWS: {@code MAESTRO_RUNTIME=aws}, or inside Lambda ({@code
     * AWS_LAMBDA_FUNCTION_NAME} set) unless {@code MAESTRO_RUNTIME=local}.
     */
    public static boolean applies(Function<String, @Nullable String> env) {
        String runtime = env.apply("MAESTRO_RUNTIME");
        if (runtime != null && !runtime.isBlank()) {
            return runtime.strip().equalsIgnoreCase("aws");
        }
        String function = env.apply("AWS_LAMBDA_FUNCTION_NAME");
        return function != null && !function.isBlank();
    }

    /** The properties to start Micronaut with. */
    public Map<String, Object> resolve() {
        Map<String, Object> props = new LinkedHashMap<>();
        String port = nonBlank("AWS_LWA_PORT");
        props.put("micronaut.server.port", intValue(port != null ? "AWS_LWA_PORT" : "PORT", 8000));
        props.put("maestro.admin-token", AdminTokenValidator.checked(required("ADMIN_TOKEN")));
        props.put("maestro.jwt-secret", required("JWT_SECRET_KEY"));
        props.put("maestro.encryption-key", required("MAESTRO_ENCRYPTION_KEY"));
        String adminPassword = optional("ADMIN_PASSWORD");
        if (adminPassword != null) {
            props.put("maestro.admin.password", adminPassword);
        }
        props.put("maestro.admin.username", orDefault("ADMIN_USERNAME", "admin"));
        // In a VPC the private ranges hold the database, the cache and the AWS endpoints: nodes may live there only
        // when the operator says which ranges (reliability.md §1.1).
        props.put("maestro.upstream.allowed-networks", orDefault("MAESTRO_ALLOWED_NETWORKS", ""));
        copy(props, "OLLAMA_BASE_URL", "maestro.seed.ollama-base-url");
        copy(props, "REDIS_URL", "redis.uri");
        copy(props, "MAESTRO_SELECTION_STRATEGY", "maestro.selection-strategy");
        // Load codecs, routing tables and the HTTP client during init, i.e. into the SnapStart snapshot.
        props.put("maestro.snapstart.prime", !"false".equalsIgnoreCase(orDefault("MAESTRO_SNAPSTART_PRIME", "true")));
        database(props);
        activity(props);
        return props;
    }

    private void database(Map<String, Object> props) {
        String url = nonBlank("DATABASE_URL");
        if (url == null) {
            throw new IllegalStateException(
                    "DATABASE_URL must be set on AWS (the RDS Proxy endpoint, see docs/deploy.md)");
        }
        LocalSettings.Jdbc jdbc = LocalSettings.Jdbc.parse(url);
        props.put("datasources.default.url", jdbc.url());
        String user = jdbc.user();
        String password = jdbc.password();
        JsonNode secret = secretJson("DATABASE_SECRET_ARN");
        if (secret != null) {
            user = text(secret, "username");
            password = text(secret, "password");
        }
        if (user != null) {
            props.put("datasources.default.username", user);
        }
        if (password != null) {
            props.put("datasources.default.password", password);
        }
        // Lambda: one request per instance at a time; RDS Proxy multiplexes the instances' connections.
        props.put("datasources.default.maximum-pool-size", intValue("DATABASE_POOL_SIZE", 2));
        props.put("datasources.default.minimum-idle", 0);
    }

    /** SQS when a queue is named (produced here, consumed by the consumer function), else direct batched writes. */
    private void activity(Map<String, Object> props) {
        String queueUrl = nonBlank("SQS_QUEUE_URL");
        if (queueUrl == null) {
            props.put("maestro.activity.sink", "jdbc");
            return;
        }
        props.put("maestro.activity.sink", "sqs");
        props.put("maestro.activity.sqs.queue-url", queueUrl);
        props.put("maestro.activity.sqs.poll", false);
        props.put("maestro.activity.sqs.create-queues", false);
        props.put("maestro.activity.sqs.region", orDefault("AWS_REGION", "us-east-1"));
        // One request at a time per instance: there is nothing to gather, and Lambda may freeze the process (and
        // reclaim it frozen) right after a response, so each event goes out at once (the API handler also flushes).
        props.put("maestro.activity.sqs.linger", "0ms");
        // The streaming function's invocation ends with its HTTP response: each answer waits for its event to be sent.
        props.put("maestro.activity.send-before-response-ends", true);
        String endpoint = nonBlank("SQS_ENDPOINT");
        if (endpoint != null) {
            props.put("maestro.activity.sqs.endpoint", endpoint);
        }
    }

    private @Nullable JsonNode secretJson(String variable) {
        String arn = nonBlank(variable);
        if (arn == null) {
            return null;
        }
        String value = secretReader.apply(arn);
        JsonNode node = Json.tryParse(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (node == null || !node.isObject()) {
            // Never echo the value: it is a secret.
            throw new IllegalStateException("the secret named by " + variable + " is not a JSON object");
        }
        return node;
    }

    private String required(String variable) {
        String value = optional(variable);
        if (value == null) {
            throw new IllegalStateException(
                    variable + " or " + variable + "_SECRET_ARN (a Secrets Manager secret) must be set on AWS");
        }
        return value;
    }

    /** {@code VARIABLE}, else the plain-string secret named by {@code VARIABLE_SECRET_ARN}. */
    private @Nullable String optional(String variable) {
        String value = nonBlank(variable);
        if (value != null) {
            return value;
        }
        String arn = nonBlank(variable + "_SECRET_ARN");
        if (arn == null) {
            return null;
        }
        String secret = secretReader.apply(arn).strip();
        return secret.isEmpty() ? null : secret;
    }

    private static @Nullable String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private void copy(Map<String, Object> props, String variable, String property) {
        String value = nonBlank(variable);
        if (value != null) {
            props.put(property, value);
        }
    }

    private @Nullable String nonBlank(String variable) {
        String value = env.apply(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String orDefault(String variable, String fallback) {
        String value = nonBlank(variable);
        return value == null ? fallback : value;
    }

    private int intValue(String variable, int fallback) {
        String value = nonBlank(variable);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a number, got '" + value + "'");
        }
    }

    /** One {@code GetSecretValue} call; the client is closed at once (nothing of it stays in a SnapStart snapshot). */
    static String readSecret(Function<String, @Nullable String> env, String arn) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)));
        String region = env.apply("AWS_REGION");
        builder.region(Region.of(region == null || region.isBlank() ? "us-east-1" : region.strip()));
        String endpoint = env.apply("SECRETS_MANAGER_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.strip()));
        }
        try (SecretsManagerClient client = builder.build()) {
            String value = client.getSecretValue(r -> r.secretId(arn)).secretString();
            if (value == null) {
                throw new IllegalStateException("secret " + arn + " has no string value");
            }
            return value;
        }
    }
}
