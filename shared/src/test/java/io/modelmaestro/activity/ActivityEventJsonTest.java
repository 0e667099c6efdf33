package io.modelmaestro.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActivityEventJsonTest {

    static ActivityEvent sample(UUID id) {
        return new ActivityEvent(
                id,
                7L,
                "alice",
                "llama",
                3L,
                "gpu-1",
                "chat",
                "openai-sdk",
                "/v1/chat/completions",
                200,
                12,
                34,
                567,
                89,
                true,
                2,
                null,
                Instant.parse("2025-01-02T03:04:05.123456Z"));
    }

    @Test
    void round_trip_keeps_every_field() {
        ActivityEvent e = sample(UUID.randomUUID());
        assertThat(ActivityEventJson.decode(ActivityEventJson.encode(e))).isEqualTo(e);

        ActivityEvent sparse = new ActivityEvent(
                UUID.randomUUID(),
                null,
                null,
                "m",
                null,
                null,
                "chat",
                "other",
                "/v1/x",
                499,
                0,
                0,
                1,
                null,
                false,
                0,
                "cancelled",
                Instant.EPOCH);
        String body = ActivityEventJson.encode(sparse);
        assertThat(ActivityEventJson.decode(body)).isEqualTo(sparse);
        // Absent values are left out of the body (smaller messages), not written as null.
        assertThat(body).doesNotContain("null").doesNotContain("\"user_id\"").doesNotContain("\"ttft_ms\"");
    }

    @Test
    void the_body_names_its_fields_explicitly() {
        String body = ActivityEventJson.encode(sample(UUID.fromString("00000000-0000-0000-0000-000000000001")));
        assertThat(body)
                .contains("\"v\":1")
                .contains("\"request_id\":\"00000000-0000-0000-0000-000000000001\"")
                .contains("\"created_at\":\"2025-01-02T03:04:05.123456Z\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{not json",
                "[]",
                "\"text\"",
                "{}",
                "{\"v\":2,\"request_id\":\"00000000-0000-0000-0000-000000000001\"}",
                "{\"v\":1,\"request_id\":\"nope\",\"model_name\":\"m\",\"request_type\":\"chat\",\"source\":\"s\","
                        + "\"url_path\":\"/\",\"status_code\":200,\"created_at\":\"2025-01-01T00:00:00Z\"}",
                "{\"v\":1,\"request_id\":\"00000000-0000-0000-0000-000000000001\",\"request_type\":\"chat\","
                        + "\"source\":\"s\",\"url_path\":\"/\",\"status_code\":200,"
                        + "\"created_at\":\"2025-01-01T00:00:00Z\"}",
                "{\"v\":1,\"request_id\":\"00000000-0000-0000-0000-000000000001\",\"model_name\":\"m\","
                        + "\"request_type\":\"chat\",\"source\":\"s\",\"url_path\":\"/\",\"status_code\":200,"
                        + "\"created_at\":\"yesterday\"}",
                "{\"v\":1,\"request_id\":\"00000000-0000-0000-0000-000000000001\",\"model_name\":\"m\","
                        + "\"request_type\":\"chat\",\"source\":\"s\",\"url_path\":\"/\",\"status_code\":\"200\","
                        + "\"created_at\":\"2025-01-01T00:00:00Z\"}"
            })
    void poison_bodies_are_rejected(String body) {
        assertThatThrownBy(() -> ActivityEventJson.decode(body)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActivityEventJson.decodeAll(body)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActivityEventJson.decodeAll(
                        "[" + ActivityEventJson.encode(sample(UUID.randomUUID())) + "," + body + "]"))
                .as("an array with one bad event is poison as a whole")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_message_body_is_an_array_of_events_or_one_event() {
        ActivityEvent a = sample(UUID.randomUUID());
        ActivityEvent b = sample(UUID.randomUUID());
        String packed = "[" + ActivityEventJson.encode(a) + "," + ActivityEventJson.encode(b) + "]";
        assertThat(ActivityEventJson.decodeAll(packed)).containsExactly(a, b);
        assertThat(ActivityEventJson.decodeAll(ActivityEventJson.encode(a))).containsExactly(a);
    }
}
