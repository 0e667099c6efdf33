package io.modelmaestro.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NodeRepository extends CrudRepository<NodeEntity, Long> {
    Optional<NodeEntity> findByName(String name);

    Optional<NodeEntity> findByCode(String code);

    List<NodeEntity> findAllOrderByPriorityDescAndId();
}
