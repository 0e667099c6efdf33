package io.modelmaestro.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.Repository;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The three allowlist tables (user_models, user_nodes, user_node_models). */
@JdbcRepository(dialect = Dialect.POSTGRES)
@Repository
public interface AccessRepository extends GenericRepository<UserEntity, Long> {

    @Introspected
    record ModelGrant(long userId, @Nullable String modelDisplayName, boolean hasAllModels) {}

    @Introspected
    record NodeGrant(long userId, long nodeId) {}

    @Introspected
    record NodeModelGrant(long userId, long nodeId, String modelName) {}

    @Query("SELECT user_id, model_display_name, has_all_models FROM user_models")
    List<ModelGrant> allModelGrants();

    @Query("SELECT user_id, node_id FROM user_nodes")
    List<NodeGrant> allNodeGrants();

    @Query("SELECT user_id, node_id, model_name FROM user_node_models")
    List<NodeModelGrant> allNodeModelGrants();

    @Query("SELECT user_id, model_display_name, has_all_models FROM user_models WHERE user_id = :userId")
    List<ModelGrant> modelGrants(long userId);

    @Query("SELECT user_id, node_id FROM user_nodes WHERE user_id = :userId ORDER BY node_id")
    List<NodeGrant> nodeGrants(long userId);

    @Query(
            "SELECT user_id, node_id, model_name FROM user_node_models WHERE user_id = :userId AND node_id = :nodeId ORDER BY model_name")
    List<NodeModelGrant> nodeModelGrants(long userId, long nodeId);

    @Query("DELETE FROM user_models WHERE user_id = :userId AND has_all_models = FALSE")
    void deleteSpecificModels(long userId);

    @Query("DELETE FROM user_models WHERE user_id = :userId AND has_all_models = TRUE")
    void deleteAllModelsGrant(long userId);

    @Query("DELETE FROM user_models WHERE user_id = :userId AND model_display_name = :model")
    void deleteModel(long userId, String model);

    @Query(
            "INSERT INTO user_models (user_id, model_display_name, has_all_models) VALUES (:userId, :model, FALSE) ON CONFLICT DO NOTHING")
    void insertModel(long userId, String model);

    @Query("INSERT INTO user_models (user_id, model_display_name, has_all_models) VALUES (:userId, NULL, TRUE)")
    void insertAllModels(long userId);

    @Query("DELETE FROM user_nodes WHERE user_id = :userId")
    void deleteNodes(long userId);

    @Query("INSERT INTO user_nodes (user_id, node_id) VALUES (:userId, :nodeId) ON CONFLICT DO NOTHING")
    void insertNode(long userId, long nodeId);

    @Query("DELETE FROM user_node_models WHERE user_id = :userId AND node_id = :nodeId")
    void deleteNodeModels(long userId, long nodeId);

    @Query(
            "INSERT INTO user_node_models (user_id, node_id, model_name) VALUES (:userId, :nodeId, :model) ON CONFLICT DO NOTHING")
    void insertNodeModel(long userId, long nodeId, String model);
}
