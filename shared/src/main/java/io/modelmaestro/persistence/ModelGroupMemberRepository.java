package io.modelmaestro.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ModelGroupMemberRepository extends CrudRepository<ModelGroupMemberEntity, Long> {

    @Query("SELECT * FROM model_group_members WHERE group_id = :groupId ORDER BY priority, id")
    List<ModelGroupMemberEntity> findByGroup(long groupId);

    @Query("SELECT * FROM model_group_members ORDER BY group_id, priority, id")
    List<ModelGroupMemberEntity> findAllOrdered();
}
