package io.modelmaestro.persistence;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A signed-in admin session. {@code sessionHash} is the hex SHA-256 of the cookie value; {@code expiresAt} is the
 * absolute end, the idle end is {@code lastSeenAt} plus the idle timeout.
 */
@MappedEntity("admin_sessions")
public record AdminSessionEntity(
        @Id @GeneratedValue @Nullable Long id,
        String sessionHash,
        long accountId,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt,
        @Nullable String ip,
        @Nullable String userAgent) {}
