package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One admin mutation. {@code details} is JSON (before/after), with secrets left out. */
@MappedEntity("audit_logs")
public record AuditLogEntity(
        @Id @GeneratedValue @Nullable Long id,
        String action,
        String entityType,
        @Nullable String entityId,
        String performedBy,
        @Nullable String details,
        @Nullable String adminIp,
        @DateCreated @Nullable Instant createdAt) {}
