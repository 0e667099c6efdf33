package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

@MappedEntity("settings")
public record SettingEntity(
        @Id String key,
        String value,
        @Nullable String description,
        @DateUpdated @Nullable Instant updatedAt) {}
