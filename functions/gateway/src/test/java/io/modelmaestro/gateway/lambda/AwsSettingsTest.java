package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the AWS functions are configured with: the environment the CDK stacks set, secrets by ARN. */
class AwsSettingsTest {

    static final Map<String, String> SECRETS = Map.of(
            "arn:db", "{\"username\":\"maestro\",\"password\":\"p@ss\",\"engine\":\"postgres\"}",
            "arn:admin", "admin-token-from-secrets-manager",
            "arn:jwt", "jwt-secret-from-secrets-manager-0123456789",
            "arn:key", "encryption-key-from-secrets-manager");

    static Map<String, String> deployedEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "maestro-api");
        env.put("AWS_REGION", "eu-west-1");
        env.put("DATABASE_URL", "jdbc:postgresql://proxy.example:5432/maestro?sslmode=require");
        env.put("DATABASE_SECRET_ARN", "arn:db");
        env.put("ADMIN_TOKEN_SECRET_ARN", "arn:admin");
        env.put("JWT_SECRET_KEY_SECRET_ARN", "arn:jwt");
        env.put("MAESTRO_ENCRYPTION_KEY_SECRET_ARN", "arn:key");
        env.put("SQS_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111111111111/maestro-activity");
        env.put("REDIS_URL", "rediss://cache.example:6379");
        return env;
    }

    static Map<String, Object> resolve(Map<String, String> env) {
        return new AwsSettings(env::get, arn -> {
                    String v = SECRETS.get(arn);
                    if (v == null) {
                        throw new IllegalStateException("no secret " + arn);
                    }
                    return v;
                })
                .resolve();
    }

    @Test
    void the_deployed_environment_gives_the_database_secrets_queue_and_cache() {
        Map<String, Object> props = resolve(deployedEnv());

        assertThat(props)
                .containsEntry(
                        "datasources.default.url", "jdbc:postgresql://proxy.example:5432/maestro?sslmode=require")
                .containsEntry("datasources.default.username", "maestro")
                .containsEntry("datasources.default.password", "p@ss")
                .containsEntry("maestro.admin-token", "admin-token-from-secrets-manager")
                .containsEntry("maestro.jwt-secret", "jwt-secret-from-secrets-manager-0123456789")
                .containsEntry("maestro.encryption-key", "encryption-key-from-secrets-manager")
                .containsEntry("maestro.activity.sink", "sqs")
                .containsEntry("maestro.activity.sqs.poll", false)
                .containsEntry("maestro.activity.sqs.create-queues", false)
                .containsEntry("maestro.activity.sqs.linger", "0ms")
                .containsEntry("maestro.activity.sqs.region", "eu-west-1")
                .containsEntry("redis.uri", "rediss://cache.example:6379")
                .containsEntry("maestro.upstream.allowed-networks", "")
                .containsEntry("maestro.snapstart.prime", true)
                .containsEntry("micronaut.server.port", 8000);
        // Nothing embedded, nothing seeded: no local Ollama on AWS.
        assertThat(props).doesNotContainKey("maestro.seed.ollama-base-url");
    }

    @Test
    void without_a_queue_rows_are_written_directly_and_the_adapter_port_wins() {
        Map<String, String> env = deployedEnv();
        env.remove("SQS_QUEUE_URL");
        env.put("AWS_LWA_PORT", "8123");
        env.put("PORT", "9999");

        Map<String, Object> props = resolve(env);

        assertThat(props).containsEntry("maestro.activity.sink", "jdbc").containsEntry("micronaut.server.port", 8123);
    }

    @Test
    void missing_settings_fail_the_start_naming_the_variable_and_never_a_secret() {
        Map<String, String> env = deployedEnv();
        env.remove("DATABASE_URL");
        assertThatThrownBy(() -> resolve(env)).hasMessageContaining("DATABASE_URL");

        Map<String, String> noJwt = deployedEnv();
        noJwt.remove("JWT_SECRET_KEY_SECRET_ARN");
        assertThatThrownBy(() -> resolve(noJwt))
                .hasMessageContaining("JWT_SECRET_KEY")
                .hasMessageNotContaining("admin-token-from-secrets-manager");
    }

    @Test
    void aws_mode_is_lambda_or_explicit() {
        assertThat(AwsSettings.applies(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f")::get))
                .isTrue();
        assertThat(AwsSettings.applies(Map.of("MAESTRO_RUNTIME", "aws")::get)).isTrue();
        assertThat(AwsSettings.applies(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f", "MAESTRO_RUNTIME", "local")::get))
                .isFalse();
        assertThat(AwsSettings.applies(Map.<String, String>of()::get)).isFalse();
    }
}
