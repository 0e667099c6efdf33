package io.modelmaestro.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ActivityLogRepository extends CrudRepository<ActivityLogEntity, Long> {
    List<ActivityLogEntity> findByRequestId(UUID requestId);

    List<ActivityLogEntity> findAllOrderByIdDesc();
}
