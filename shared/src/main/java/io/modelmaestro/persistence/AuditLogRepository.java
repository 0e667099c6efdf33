package io.modelmaestro.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditLogRepository extends CrudRepository<AuditLogEntity, Long> {
    List<AuditLogEntity> findByActionOrderByIdDesc(String action);

    List<AuditLogEntity> findAllOrderByIdDesc();
}
