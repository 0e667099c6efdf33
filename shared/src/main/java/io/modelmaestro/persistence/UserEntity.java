package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A gateway user. {@code tokenId} is the {@code jti} of the one valid token; the token itself is never stored. */
@MappedEntity("users")
public record UserEntity(
        @Id @GeneratedValue @Nullable Long id,
        String username,
        String tokenId,
        boolean isActive,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
