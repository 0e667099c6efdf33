package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Display name → real name, optionally scoped to nodes (rows in {@code model_mapping_nodes}). */
@MappedEntity("model_mappings")
public record ModelMappingEntity(
        @Id @GeneratedValue @Nullable Long id,
        String displayName,
        String realName,
        @Nullable Integer contextLength,
        @TypeDef(type = DataType.STRING_ARRAY) String @Nullable [] capabilities,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
