package io.modelmaestro.persistence;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One accepted request. {@code requestId} is unique, so a retried write cannot duplicate a row. */
@MappedEntity("activity_logs")
public record ActivityLogEntity(
        @Id @GeneratedValue @Nullable Long id,
        UUID requestId,
        @Nullable Long userId,
        @Nullable String username,
        String modelName,
        @Nullable Long nodeId,
        @Nullable String nodeName,
        String requestType,
        @Nullable String source,
        @Nullable String urlPath,
        int statusCode,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        int durationMs,
        @Nullable Integer ttftMs,
        boolean streamed,
        int attempts,
        @Nullable String errorMessage,
        Instant createdAt,
        @Nullable String clientFormat,
        @Nullable String realModel,
        long cachedTokens,
        @Nullable String errorClass) {}
