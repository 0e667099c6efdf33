package io.modelmaestro.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ModelMappingRepository extends CrudRepository<ModelMappingEntity, Long> {
    Optional<ModelMappingEntity> findByDisplayName(String displayName);

    List<ModelMappingEntity> findAllOrderByDisplayName();

    @Query("SELECT node_id FROM model_mapping_nodes WHERE mapping_id = :mappingId ORDER BY node_id")
    List<Long> findNodeIds(long mappingId);

    @Query("SELECT mapping_id, node_id FROM model_mapping_nodes")
    List<MappingNodeRow> findAllNodeLinks();

    @Query("DELETE FROM model_mapping_nodes WHERE mapping_id = :mappingId")
    void deleteNodeLinks(long mappingId);

    @Query("INSERT INTO model_mapping_nodes (mapping_id, node_id) VALUES (:mappingId, :nodeId) ON CONFLICT DO NOTHING")
    void insertNodeLink(long mappingId, long nodeId);
}
