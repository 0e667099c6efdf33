package io.modelmaestro.persistence;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A model a node was seen to serve (filled by discovery or by an admin). */
@MappedEntity("node_models")
public record NodeModelEntity(
        @Id @GeneratedValue @Nullable Long id,
        long nodeId,
        String modelName,
        @Nullable Long modelSize,
        @Nullable String modelFamily,
        @Nullable String modelDigest,
        @Nullable Integer contextLength,
        @TypeDef(type = DataType.STRING_ARRAY) String @Nullable [] capabilities,
        @Nullable String details,
        @Nullable Instant modifiedAt,
        Instant lastSeen,
        boolean isAvailable) {}
