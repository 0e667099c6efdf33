package io.modelmaestro.activity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The record of one accepted request: exactly one per request, written when the request ends (completed, failed or
 * cancelled). It never carries a token, a key or a prompt.
 */
public record ActivityEvent(
        UUID requestId,
        @Nullable Long userId,
        @Nullable String username,
        String modelName,
        @Nullable Long nodeId,
        @Nullable String nodeName,
        String requestType,
        String source,
        String urlPath,
        int statusCode,
        long promptTokens,
        long completionTokens,
        int durationMs,
        @Nullable Integer ttftMs,
        boolean streamed,
        int attempts,
        @Nullable String errorMessage,
        Instant createdAt,
        @Nullable String clientFormat,
        @Nullable String realModel,
        long cachedTokens,
        @Nullable String errorClass) {

    /** The event without the details added later (client format, real model, cached tokens, error class). */
    public ActivityEvent(
            UUID requestId,
            @Nullable Long userId,
            @Nullable String username,
            String modelName,
            @Nullable Long nodeId,
            @Nullable String nodeName,
            String requestType,
            String source,
            String urlPath,
            int statusCode,
            long promptTokens,
            long completionTokens,
            int durationMs,
            @Nullable Integer ttftMs,
            boolean streamed,
            int attempts,
            @Nullable String errorMessage,
            Instant createdAt) {
        this(
                requestId,
                userId,
                username,
                modelName,
                nodeId,
                nodeName,
                requestType,
                source,
                urlPath,
                statusCode,
                promptTokens,
                completionTokens,
                durationMs,
                ttftMs,
                streamed,
                attempts,
                errorMessage,
                createdAt,
                null,
                null,
                0,
                null);
    }
}
