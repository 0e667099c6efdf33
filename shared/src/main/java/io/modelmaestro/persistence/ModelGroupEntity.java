package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A model group (members in {@code model_group_members}). */
@MappedEntity("model_groups")
public record ModelGroupEntity(
        @Id @GeneratedValue @Nullable Long id,
        String name,
        @Nullable String description,
        String strategy,
        boolean isActive,
        boolean listInCatalog,
        @Nullable Integer failoverLimit,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
