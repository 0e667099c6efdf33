package io.modelmaestro.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ModelGroupRepository extends CrudRepository<ModelGroupEntity, Long> {
    Optional<ModelGroupEntity> findByName(String name);

    @Query("SELECT * FROM model_groups ORDER BY name")
    List<ModelGroupEntity> findAllOrderByName();
}
