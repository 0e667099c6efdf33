package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent Responses-API answers that {@code previous_response_id} and {@code GET /v1/responses/{id}} can name
 * (ADR 0014). Entries are keyed by user and id, so a user can never read, continue or delete another user's
 * response, even knowing its id. Bounded three ways: an entry expires {@code maestro.responses.ttl} after it was
 * stored, and the oldest entries go first when there are more than {@code maestro.responses.max-entries} or their
 * JSON takes more than {@code maestro.responses.max-bytes}. In memory, per instance: a restart forgets everything.
 */
@Singleton
public class ResponseStore {

    /** A stored response: the Responses object as the client saw it, and the input items that led to it. */
    public record Stored(ObjectNode response, ArrayNode input, Instant storedAt, long bytes) {

        /** The items a follow-up request continues from: the earlier input, then this response's output. */
        public List<JsonNode> history() {
            List<JsonNode> items =
                    new ArrayList<>(input.size() + response.path("output").size());
            input.forEach(items::add);
            response.path("output").forEach(items::add);
            return items;
        }
    }

    private record Key(long userId, String id) {}

    private final InstantSource clock;
    private final Duration ttl;
    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<Key, Stored> entries = new LinkedHashMap<>();
    private long bytes;

    public ResponseStore(
            InstantSource clock,
            @Value("${maestro.responses.ttl:1h}") Duration ttl,
            @Value("${maestro.responses.max-entries:10000}") int maxEntries,
            @Value("${maestro.responses.max-bytes:67108864}") long maxBytes) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    public void put(long userId, ObjectNode response, ArrayNode input) {
        String id = response.path("id").asText("");
        if (id.isEmpty()) {
            return;
        }
        long size = (long) Json.write(response).length + Json.write(input).length;
        if (size > maxBytes) {
            return; // larger than the whole store: keeping it would evict everyone else's
        }
        Instant now = clock.instant();
        synchronized (entries) {
            Stored previous = entries.remove(new Key(userId, id));
            if (previous != null) {
                bytes -= previous.bytes();
            }
            entries.put(new Key(userId, id), new Stored(response, input, now, size));
            bytes += size;
            evict(now);
        }
    }

    public Optional<Stored> get(long userId, String id) {
        Instant now = clock.instant();
        synchronized (entries) {
            evict(now);
            return Optional.ofNullable(entries.get(new Key(userId, id)));
        }
    }

    public boolean delete(long userId, String id) {
        synchronized (entries) {
            Stored removed = entries.remove(new Key(userId, id));
            if (removed != null) {
                bytes -= removed.bytes();
            }
            return removed != null;
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Drops expired entries (they are in insertion order, so from the head) and the oldest over the bounds. */
    private void evict(Instant now) {
        Instant cutoff = now.minus(ttl);
        Iterator<Map.Entry<Key, Stored>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Stored> e = it.next();
            boolean expired = !e.getValue().storedAt().isAfter(cutoff);
            if (!expired && entries.size() <= maxEntries && bytes <= maxBytes) {
                break;
            }
            bytes -= e.getValue().bytes();
            it.remove();
        }
    }
}
