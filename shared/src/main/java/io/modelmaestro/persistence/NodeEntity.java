package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An upstream node. Credential columns hold ciphertext only ({@code io.modelmaestro.crypto.SecretCipher}). */
@MappedEntity("nodes")
public record NodeEntity(
        @Id @GeneratedValue @Nullable Long id,
        String name,
        @Nullable String code,
        String nodeType,
        String baseUrl,
        int priority,
        int weight,
        boolean isActive,
        boolean warmupEnabled,
        boolean autoSyncEnabled,
        boolean scopedModels,
        @Nullable String apiKeyEnc,
        @Nullable String headersEnc,
        @Nullable String awsAccessKeyEnc,
        @Nullable String awsSecretKeyEnc,
        @Nullable String awsSessionTokenEnc,
        @Nullable String awsRegion,
        String healthStatus,
        @Nullable Instant lastHealthCheck,
        @Nullable String lastError,
        @Nullable Integer lastLatencyMs,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
