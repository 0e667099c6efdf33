package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.gateway.support.MutableClock;
import io.modelmaestro.json.Json;
import io.modelmaestro.pipeline.ResponseStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bounds of the {@code previous_response_id} store: per user, expiry after the TTL, count and size limits. */
class ResponseStoreTest {

    static ObjectNode response(String id, String text) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.putArray("output").addObject().put("type", "message").put("text", text);
        return r;
    }

    static ArrayNode input(String text) {
        ArrayNode a = Json.array();
        a.addObject().put("role", "user").put("content", text);
        return a;
    }

    @Test
    void entries_belong_to_their_user_and_expire_after_the_ttl() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ResponseStore store = new ResponseStore(clock, Duration.ofHours(1), 100, 1_000_000);
        store.put(1, response("resp_a", "hello"), input("hi"));

        assertThat(store.get(1, "resp_a")).isPresent();
        assertThat(store.get(2, "resp_a")).isEmpty();
        assertThat(store.delete(2, "resp_a")).isFalse();
        assertThat(store.get(1, "resp_a").orElseThrow().history())
                .extracting(n -> n.toString())
                .containsExactly("{\"role\":\"user\",\"content\":\"hi\"}", "{\"type\":\"message\",\"text\":\"hello\"}");

        clock.advance(Duration.ofMinutes(59));
        assertThat(store.get(1, "resp_a")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.get(1, "resp_a")).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void the_oldest_entries_go_first_beyond_the_count_or_the_byte_budget() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ResponseStore byCount = new ResponseStore(clock, Duration.ofHours(1), 2, 1_000_000);
        byCount.put(1, response("resp_1", "a"), input("a"));
        byCount.put(2, response("resp_2", "b"), input("b"));
        byCount.put(1, response("resp_3", "c"), input("c"));
        assertThat(byCount.get(1, "resp_1")).isEmpty();
        assertThat(byCount.get(2, "resp_2")).isPresent();
        assertThat(byCount.get(1, "resp_3")).isPresent();

        long one = Json.write(response("resp_x", "x")).length + Json.write(input("x")).length;
        ResponseStore byBytes = new ResponseStore(clock, Duration.ofHours(1), 100, 2 * one + 1);
        byBytes.put(1, response("resp_4", "x"), input("x"));
        byBytes.put(1, response("resp_5", "x"), input("x"));
        byBytes.put(1, response("resp_6", "x"), input("x"));
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.get(1, "resp_4")).isEmpty();
        // One entry larger than the whole budget is not kept at all (and evicts nobody).
        byBytes.put(1, response("resp_big", "x".repeat(1000)), input("x"));
        assertThat(byBytes.get(1, "resp_big")).isEmpty();
        assertThat(byBytes.size()).isEqualTo(2);
    }
}
