package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activity consumer Lambda fed an SQS event as the Lambda runtime delivers it (a captured event's JSON, deserialised
 * by the runtime's serializer): the rows land in PostgreSQL, and the answer names only the failed messages.
 */
class ActivityConsumerHandlerTest {

    ActivityConsumerHandler handler;

    @BeforeEach
    void start() {
        Map<String, Object> props = Gateway.properties();
        handler = new ActivityConsumerHandler(
                ApplicationContext.builder().properties(props).build().start());
    }

    @AfterEach
    void stop() {
        handler.close();
    }

    static ActivityEvent event(UUID id, String user) {
        return new ActivityEvent(
                id,
                null,
                user,
                "coder",
                null,
                null,
                "chat",
                "curl",
                "/v1/chat/completions",
                200,
                3,
                5,
                120,
                null,
                true,
                1,
                null,
                Instant.parse("2026-11-23T05:40:00Z"));
    }

    /** The captured event with its record repeated, one per body, each with its own message id. */
    static String sqsEvent(List<String> messageIds, List<String> bodies) {
        ObjectNode event = (ObjectNode) Json.parse(LambdaEvents.resource("sqs-event.json"));
        ArrayNode records = (ArrayNode) event.get("Records");
        JsonNode template = records.get(0);
        records.removeAll();
        for (int i = 0; i < bodies.size(); i++) {
            ObjectNode r = template.deepCopy();
            r.put("messageId", messageIds.get(i));
            r.put("body", bodies.get(i));
            records.add(r);
        }
        return Json.writeString(event);
    }

    SQSBatchResponse invoke(String json) {
        return handler.handleRequest(LambdaEvents.fromJson(json, SQSEvent.class), new MockLambdaContext());
    }

    List<ActivityLogEntity> rows() {
        return handler.getApplicationContext()
                .getBean(ActivityLogRepository.class)
                .findAllOrderByIdDesc();
    }

    @Test
    void a_batch_is_stored_and_only_the_poison_message_is_reported() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String json = sqsEvent(
                List.of("m-1", "m-2", "m-3", "m-4"),
                List.of(
                        ActivityEventJson.encode(event(a, "alice")),
                        "{not json",
                        ActivityEventJson.encode(event(b, "bob")),
                        // A redelivery of the first event: a success, not a second row.
                        ActivityEventJson.encode(event(a, "alice"))));

        SQSBatchResponse response = invoke(json);

        JsonNode wire = Json.parse(LambdaEvents.toJson(response, SQSBatchResponse.class));
        assertThat(wire.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly("m-2");
        List<ActivityLogEntity> rows = rows();
        assertThat(rows).extracting(ActivityLogEntity::requestId).containsExactlyInAnyOrder(a, b);
        assertThat(rows).extracting(ActivityLogEntity::username).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void packed_messages_store_every_event_and_a_bad_array_fails_only_its_message() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        String packed = "[" + ActivityEventJson.encode(event(a, "alice")) + ","
                + ActivityEventJson.encode(event(b, "bob")) + "]";
        // An array with one invalid element is poison as a whole: its valid event is not stored from it.
        String bad = "[" + ActivityEventJson.encode(event(UUID.randomUUID(), "mallory")) + ",{\"v\":1}]";
        String json = sqsEvent(
                List.of("m-1", "m-2", "m-3"), List.of(packed, bad, ActivityEventJson.encode(event(c, "carol"))));

        SQSBatchResponse response = invoke(json);

        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
        assertThat(rows()).extracting(ActivityLogEntity::requestId).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void a_clean_batch_reports_no_failure_and_a_replay_adds_nothing() {
        String json = sqsEvent(List.of("m-1"), List.of(ActivityEventJson.encode(event(UUID.randomUUID(), "carol"))));

        assertThat(invoke(json).getBatchItemFailures()).isEmpty();
        assertThat(invoke(json).getBatchItemFailures()).isEmpty();

        assertThat(rows()).hasSize(1);
    }
}
