package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.lambda.ScheduledJobsHandler;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduled Lambda handler, given EventBridge's own "Scheduled Event" JSON deserialised the way the Java Lambda
 * runtime does (aws-lambda-java-serialization), runs the named job against fake nodes.
 */
class ScheduledJobsHandlerTest {

    static Gateway gw;
    static FakeUpstream node;
    static long nodeId;

    @BeforeAll
    static void start() {
        node = new FakeUpstream();
        OllamaWireFake.install(node, List.of("sched-model:1b"));
        gw = Gateway.start();
        nodeId = gw.createNode("sched-node", "schednode", "ollama", node.baseUrl());
    }

    @AfterAll
    static void stop() {
        gw.close();
        node.close();
    }

    /** An EventBridge scheduled event as Lambda receives it (the shape of the AWS documentation's example). */
    static ScheduledEvent event(String rule, String detail) {
        String json = """
                {
                  "version": "0",
                  "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
                  "detail-type": "Scheduled Event",
                  "source": "aws.events",
                  "account": "123456789012",
                  "time": "2026-11-23T06:00:00Z",
                  "region": "us-east-1",
                  "resources": [
                    "arn:aws:events:us-east-1:123456789012:rule/%s"
                  ],
                  "detail": %s
                }
                """.formatted(rule, detail);
        PojoSerializer<ScheduledEvent> serializer = LambdaEventSerializers.serializerFor(
                ScheduledEvent.class, ScheduledJobsHandlerTest.class.getClassLoader());
        return serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theRuleInputNamesTheJob() {
        ScheduledEvent event = event("maestro-jobs", "{\"job\": \"model-discovery\"}");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getTime()).isNotNull();

        Map<String, Object> out = new ScheduledJobsHandler(gw.context()).handleRequest(event, null);
        assertThat(out.get("job")).isEqualTo("model-discovery");
        assertThat(out.get("done")).isEqualTo(1);
        JsonNode models = Json.parse(
                gw.admin("GET", "/admin/nodes/" + nodeId + "/models", null).body());
        assertThat(models).hasSize(1);
        assertThat(models.get(0).get("name").asText()).isEqualTo("sched-model:1b");
        assertThat(node.requests("/api/tags")).isNotEmpty();
    }

    @Test
    void theRuleNameNamesTheJobWhenTheInputDoesNot() {
        int before = node.requests("/api/version").size();
        Map<String, Object> out =
                new ScheduledJobsHandler(gw.context()).handleRequest(event("maestro-prod-health-check", "{}"), null);
        assertThat(out.get("job")).isEqualTo("health-check");
        assertThat(node.requests("/api/version")).hasSize(before + 1);
        JsonNode health = Json.parse(
                gw.admin("GET", "/admin/nodes/" + nodeId + "/health", null).body());
        assertThat(health.get("status").asText()).isEqualTo("healthy");

        Map<String, Object> retention =
                new ScheduledJobsHandler(gw.context()).handleRequest(event("maestro-retention", "{}"), null);
        assertThat(retention.get("job")).isEqualTo("retention");
        assertThat(retention.get("done")).isEqualTo(1);
    }

    @Test
    void anEventThatNamesNoKnownJobFails() {
        ScheduledJobsHandler handler = new ScheduledJobsHandler(gw.context());
        assertThatThrownBy(() -> handler.handleRequest(event("maestro-jobs", "{\"job\": \"nope\"}"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("health-check");
        assertThatThrownBy(() -> handler.handleRequest(event("something-else", "{}"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no job");
    }
}
