package io.modelmaestro.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AdminSessionRepository extends CrudRepository<AdminSessionEntity, Long> {
    Optional<AdminSessionEntity> findBySessionHash(String sessionHash);

    @Query("UPDATE admin_sessions SET last_seen_at = :lastSeenAt WHERE id = :id")
    void touch(long id, Instant lastSeenAt);

    @Query("DELETE FROM admin_sessions WHERE session_hash = :sessionHash")
    int deleteBySessionHash(String sessionHash);

    @Query("DELETE FROM admin_sessions WHERE account_id = :accountId")
    int deleteByAccountId(long accountId);

    @Query("DELETE FROM admin_sessions WHERE expires_at < :now OR last_seen_at < :idleCutoff")
    int deleteExpired(Instant now, Instant idleCutoff);
}
