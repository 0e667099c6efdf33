package io.modelmaestro.activity;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.routing.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Collects what one request did and hands exactly one {@link ActivityEvent} to the sink when it ends, however it ends
 * (success, error, client cancel). Created per request. Setters are called from one pipeline at a time; {@link
 * #finish} is safe to call more than once (only the first call counts).
 */
public final class ActivityRecorder {

    private final ActivitySink sink;
    private final InstantSource clock;
    private final UUID requestId;
    private final @Nullable Long userId;
    private final @Nullable String username;
    private final String requestType;
    private final String source;
    private final String urlPath;
    private final @Nullable String clientFormat;
    private final Instant started;
    private final AtomicBoolean finished = new AtomicBoolean();

    private volatile String model = "unknown";
    private volatile @Nullable Target target;
    private volatile int attempts;
    private volatile boolean streamed;
    private volatile @Nullable Instant firstByte;
    private volatile Usage usage = Usage.ZERO;
    private volatile java.util.function.@Nullable Consumer<Usage> onFinish;

    public ActivityRecorder(
            ActivitySink sink,
            InstantSource clock,
            UUID requestId,
            @Nullable Long userId,
            @Nullable String username,
            String requestType,
            String source,
            String urlPath,
            @Nullable String clientFormat) {
        this.sink = sink;
        this.clock = clock;
        this.requestId = requestId;
        this.userId = userId;
        this.username = username;
        this.requestType = requestType;
        this.source = source;
        this.urlPath = urlPath;
        this.clientFormat = clientFormat;
        this.started = clock.instant();
    }

    public UUID requestId() {
        return requestId;
    }

    public void model(String model) {
        this.model = model;
    }

    /**
     * The model a request body names, before the body is validated: a request refused as invalid (400) is still
     * logged under the model it asked for. Only a non-blank string counts, cut to 200 characters.
     */
    public void modelOf(JsonNode body) {
        JsonNode named = body.get("model");
        if (named != null && named.isTextual() && !named.asText().isBlank()) {
            String text = named.asText();
            this.model = text.length() > 200 ? text.substring(0, 200) : text;
        }
    }

    public void routed(Target target, int attempts) {
        this.target = target;
        this.attempts = attempts;
    }

    public void streamed() {
        this.streamed = true;
    }

    public void firstByte() {
        if (firstByte == null) {
            firstByte = clock.instant();
        }
    }

    public void usage(Usage usage) {
        this.usage = usage;
    }

    /** Runs once when the request ends, with the final usage (limits settle their token reservation here). */
    public void onFinish(java.util.function.Consumer<Usage> hook) {
        this.onFinish = hook;
    }

    /** Ends the request with an error; the row records its class (e.g. {@code UpstreamTimeout}). */
    public void fail(int status, GatewayException error) {
        finish(status, error.getMessage(), error.getClass().getSimpleName());
    }

    public void finish(int status, @Nullable String error) {
        finish(status, error, error == null ? null : status == 499 ? "ClientClosed" : "Error");
    }

    private void finish(int status, @Nullable String error, @Nullable String errorClass) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        java.util.function.Consumer<Usage> hook = onFinish;
        if (hook != null) {
            hook.accept(usage);
        }
        Instant now = clock.instant();
        Target t = target;
        Instant fb = firstByte;
        sink.accept(new ActivityEvent(
                requestId,
                userId,
                username,
                model,
                t == null ? null : t.node().id(),
                t == null ? null : t.node().name(),
                requestType,
                source,
                urlPath,
                status,
                usage.promptTokens(),
                usage.completionTokens(),
                (int) Duration.between(started, now).toMillis(),
                fb == null ? null : (int) Duration.between(started, fb).toMillis(),
                streamed,
                attempts,
                error == null ? null : error.length() > 500 ? error.substring(0, 500) : error,
                now,
                clientFormat,
                t == null ? null : t.upstreamModel(),
                usage.cacheReadTokens(),
                errorClass));
    }
}
