package io.modelmaestro.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ActivityLogRepository extends CrudRepository<ActivityLogEntity, Long> {
    List<ActivityLogEntity> findByRequestId(UUID requestId);

    List<ActivityLogEntity> findAllOrderByIdDesc();

    /** Requests a user was admitted for, and their tokens, in {@code [from, to)}: refusals by limit don't count. */
    @Query("SELECT count(*) AS requests, coalesce(sum(total_tokens), 0) AS tokens FROM activity_logs"
            + " WHERE user_id = :userId AND created_at >= :from AND created_at < :to AND status_code <> 429")
    UsageRow usageBetween(long userId, Instant from, Instant to);

    @Introspected
    record UsageRow(long requests, long tokens) {}
}
