package io.modelmaestro.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;

/**
 * How stream chunks go on the wire. With {@code alt=sse}: one {@code data: <json>} event per chunk. Without it, as
 * Google does: one JSON array written progressively, each chunk as it is generated. The array's punctuation is not
 * written here: the HTTP layer (Micronaut) writes a streamed {@code application/json} body as a JSON array, {@code [}
 * before the first element, {@code ,} between elements and {@code ]} at the end, so this mode hands over bare
 * chunks (the golden files pin the exact bytes).
 */
public final class GeminiStreamFrames {

    private final boolean sse;

    public GeminiStreamFrames(boolean sse) {
        this.sse = sse;
    }

    public boolean sse() {
        return sse;
    }

    public byte[] frame(JsonNode chunk) {
        byte[] json = Json.write(chunk);
        return sse ? SseWriter.data(json) : json;
    }
}
