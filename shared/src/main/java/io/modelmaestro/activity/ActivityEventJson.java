package io.modelmaestro.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of an {@link ActivityEvent} between the gateway and the log consumer (an SQS message body is a JSON
 * array of these objects, see {@link #decodeAll}). Field
 * names are written out here, not derived from the record, so that renaming a Java component cannot silently change
 * the contract between a producer and a consumer deployed at different times. Unknown fields are ignored (a newer
 * producer); a missing or mistyped identity field is an error (the message is poison, see {@link #decode}).
 */
public final class ActivityEventJson {

    /** Bumped only for incompatible changes; additions are compatible. */
    public static final int VERSION = 1;

    private ActivityEventJson() {}

    /** One event as a JSON object; absent values (null) are left out, which the decoder reads as null. */
    public static String encode(ActivityEvent e) {
        ObjectNode o = Json.object();
        o.put("v", VERSION);
        o.put("request_id", e.requestId().toString());
        putIfPresent(o, "user_id", e.userId());
        putIfPresent(o, "username", e.username());
        o.put("model_name", e.modelName());
        putIfPresent(o, "node_id", e.nodeId());
        putIfPresent(o, "node_name", e.nodeName());
        o.put("request_type", e.requestType());
        o.put("source", e.source());
        o.put("url_path", e.urlPath());
        o.put("status_code", e.statusCode());
        o.put("prompt_tokens", e.promptTokens());
        o.put("completion_tokens", e.completionTokens());
        o.put("duration_ms", e.durationMs());
        if (e.ttftMs() != null) {
            o.put("ttft_ms", e.ttftMs());
        }
        o.put("streamed", e.streamed());
        o.put("attempts", e.attempts());
        putIfPresent(o, "error_message", e.errorMessage());
        o.put("created_at", e.createdAt().toString());
        putIfPresent(o, "client_format", e.clientFormat());
        putIfPresent(o, "real_model", e.realModel());
        o.put("cached_tokens", e.cachedTokens());
        putIfPresent(o, "error_class", e.errorClass());
        return Json.writeString(o);
    }

    private static void putIfPresent(ObjectNode o, String field, @Nullable String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putIfPresent(ObjectNode o, String field, @Nullable Long value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /**
     * Parses one event.
     *
     * @throws IllegalArgumentException when the body is not JSON, is of an unknown version, or lacks a required field
     */
    public static ActivityEvent decode(String body) {
        return decode(parse(body));
    }

    /**
     * Parses a message body: a JSON array of events (what the SQS sink sends: several events per message) or one
     * event object (what producers before ADR 0018 sent).
     *
     * @throws IllegalArgumentException when the body or any of its events is not valid (the message is poison as a
     *     whole: a producer never sends a partly valid array)
     */
    public static List<ActivityEvent> decodeAll(String body) {
        JsonNode node = parse(body);
        if (!node.isArray()) {
            return List.of(decode(node));
        }
        if (node.isEmpty()) {
            throw new IllegalArgumentException("an empty array");
        }
        List<ActivityEvent> events = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            try {
                events.add(decode(node.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event " + i + ": " + e.getMessage(), e);
            }
        }
        return events;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.parse(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static ActivityEvent decode(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int version = o.path("v").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported version " + o.path("v"));
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(required(o, "request_id"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request_id is not a UUID", e);
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(required(o, "created_at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("created_at is not an ISO-8601 instant", e);
        }
        return new ActivityEvent(
                requestId,
                optionalLong(o, "user_id"),
                Json.text(o, "username"),
                required(o, "model_name"),
                optionalLong(o, "node_id"),
                Json.text(o, "node_name"),
                required(o, "request_type"),
                required(o, "source"),
                required(o, "url_path"),
                requiredInt(o, "status_code"),
                o.path("prompt_tokens").asLong(0),
                o.path("completion_tokens").asLong(0),
                o.path("duration_ms").asInt(0),
                optionalInt(o, "ttft_ms"),
                o.path("streamed").asBoolean(false),
                o.path("attempts").asInt(0),
                Json.text(o, "error_message"),
                createdAt,
                Json.text(o, "client_format"),
                Json.text(o, "real_model"),
                o.path("cached_tokens").asLong(0),
                Json.text(o, "error_class"));
    }

    private static String required(JsonNode o, String field) {
        String value = Json.text(o, field);
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value;
    }

    private static int requiredInt(JsonNode o, String field) {
        JsonNode value = o.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " is missing or not an integer");
        }
        return value.asInt();
    }

    private static @Nullable Long optionalLong(JsonNode o, String field) {
        JsonNode value = o.get(field);
        return value == null || !value.isIntegralNumber() ? null : value.asLong();
    }

    private static @Nullable Integer optionalInt(JsonNode o, String field) {
        JsonNode value = o.get(field);
        return value == null || !value.canConvertToInt() ? null : value.asInt();
    }
}
