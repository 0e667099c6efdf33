package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.local.LocalSettings;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.jobs.JobScheduler;
import io.modelmaestro.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jobs run on their own where the local runtime turns the scheduler on, and nowhere else. */
class JobSchedulerTest {

    @Test
    void theLocalRuntimeTurnsTheSchedulerOn_andMapsTheIntervals() throws Exception {
        Path dir = Files.createTempDirectory("maestro-jobs");
        Map<String, String> env = new HashMap<>();
        env.put("MAESTRO_DATA_DIR", dir.toString());
        env.put("DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/db");
        env.put("SQS_QUEUE_URL", "http://127.0.0.1:9324/000000000000/maestro-activity");
        env.put("ADMIN_TOKEN", "local-admin-token-0123456789");
        env.put("MAESTRO_HEALTH_INTERVAL", "45s");
        env.put("MAESTRO_DISCOVERY_INTERVAL", "20m");
        Map<String, Object> props = new LocalSettings(env::get).resolve();
        assertThat(props.get("maestro.jobs.enabled")).isEqualTo(true);
        assertThat(props.get("maestro.health.interval")).isEqualTo("45s");
        assertThat(props.get("maestro.discovery.interval")).isEqualTo("20m");
        assertThat(props).doesNotContainKey("maestro.warmup.interval");
    }

    @Test
    void withTheSchedulerOnNodesAreCheckedAndDiscoveredWithoutAnyCall() throws Exception {
        try (FakeUpstream node = new FakeUpstream()) {
            OllamaWireFake.install(node, List.of("auto-model:1b"));
            try (Gateway gw = Gateway.start(Map.of(
                    "maestro.jobs.enabled", true,
                    "maestro.jobs.initial-delay", "100ms",
                    "maestro.health.interval", "200ms",
                    "maestro.discovery.interval", "200ms"))) {
                assertThat(gw.context().containsBean(JobScheduler.class)).isTrue();
                long id = gw.createNode("auto-node", "autonode", "ollama", node.baseUrl());
                long deadline = System.nanoTime() + 15_000_000_000L;
                JsonNode health;
                JsonNode models;
                do {
                    Thread.sleep(100);
                    health = Json.parse(gw.admin("GET", "/admin/nodes/" + id + "/health", null)
                            .body());
                    models = Json.parse(gw.admin("GET", "/admin/nodes/" + id + "/models", null)
                            .body());
                } while ((!health.get("status").asText().equals("healthy") || models.isEmpty())
                        && System.nanoTime() < deadline);
                assertThat(health.get("status").asText()).isEqualTo("healthy");
                assertThat(models.get(0).get("name").asText()).isEqualTo("auto-model:1b");
            }
        }
        try (Gateway plain = Gateway.start()) {
            assertThat(plain.context().containsBean(JobScheduler.class)).isFalse();
        }
    }
}
