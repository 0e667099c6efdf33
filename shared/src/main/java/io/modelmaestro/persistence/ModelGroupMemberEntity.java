package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One member of a model group: a model (display or real name), optionally pinned to one node. */
@MappedEntity("model_group_members")
public record ModelGroupMemberEntity(
        @Id @GeneratedValue @Nullable Long id,
        long groupId,
        String modelDisplayName,
        @Nullable Long nodeId,
        int priority,
        int weight,
        boolean isActive,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
