package io.modelmaestro.persistence;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A person who may sign in to the admin site. {@code passwordHash} is an Argon2id PHC string. */
@MappedEntity("admin_accounts")
public record AdminAccountEntity(
        @Id @GeneratedValue @Nullable Long id,
        String username,
        String passwordHash,
        @DateCreated @Nullable Instant createdAt,
        @DateUpdated @Nullable Instant updatedAt) {}
