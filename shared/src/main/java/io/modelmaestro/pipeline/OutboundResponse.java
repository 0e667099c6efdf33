package io.modelmaestro.pipeline;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/** A response to render: either a complete {@code body} or a {@code stream} of chunks to flush as they come. */
public record OutboundResponse(
        int status,
        String contentType,
        Map<String, String> headers,
        byte @Nullable [] body,
        @Nullable Flux<byte[]> stream) {

    public static final String JSON = "application/json";
    public static final String SSE = "text/event-stream; charset=utf-8";
    public static final String NDJSON = "application/x-ndjson";

    public static OutboundResponse json(int status, byte[] body) {
        return new OutboundResponse(status, JSON, Map.of(), body, null);
    }

    public static OutboundResponse json(int status, byte[] body, Map<String, String> headers) {
        return new OutboundResponse(status, JSON, headers, body, null);
    }

    public static OutboundResponse stream(String contentType, Flux<byte[]> stream) {
        return new OutboundResponse(
                200,
                contentType,
                Map.of("cache-control", "no-cache, no-transform", "x-accel-buffering", "no"),
                null,
                stream);
    }
}
