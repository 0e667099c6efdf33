package io.modelmaestro.pipeline;

import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.activity.ActivitySink;
import jakarta.inject.Singleton;
import java.time.InstantSource;

/** Starts the per-request {@link ActivityRecorder}. */
@Singleton
public class ActivityFactory {

    private final ActivitySink sink;
    private final InstantSource clock;

    public ActivityFactory(ActivitySink sink, InstantSource clock) {
        this.sink = sink;
        this.clock = clock;
    }

    public ActivityRecorder start(InboundRequest request, String requestType) {
        return new ActivityRecorder(
                sink,
                clock,
                request.requestId(),
                request.principal().userId(),
                request.principal().username(),
                requestType,
                request.source(),
                request.path(),
                clientFormat(request.path()));
    }

    /** The wire format the client spoke, from the route it called. */
    static String clientFormat(String path) {
        if (GeminiGateway.isGeminiPath(path)) {
            return "gemini";
        }
        if (path.startsWith("/api/")) {
            return "ollama";
        }
        if (path.startsWith("/v1/messages") || path.startsWith("/claude/")) {
            return "anthropic";
        }
        if (path.startsWith("/v1/responses")) {
            return "responses";
        }
        return "openai";
    }
}
