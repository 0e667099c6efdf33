package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A user's daily caps (null = unlimited). */
@MappedEntity("user_limits")
public record UserLimitEntity(
        @Id @GeneratedValue @Nullable Long id,
        long userId,
        @Nullable Integer requestLimit,
        @Nullable Long tokenLimit,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
