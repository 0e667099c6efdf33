package io.modelmaestro.pool;

import io.modelmaestro.catalog.Node;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Model discovery for one node type: everything the node serves right now. Register an implementation as a bean;
 * with several for a type, the highest {@link #precedence()} wins. Node types without one are not discovered (their
 * {@code node_models} stay as the admin left them). Bedrock: {@code provider.bedrock} implements this with
 * {@code ListFoundationModels} / {@code ListInferenceProfiles} (docs/node-pool.md).
 */
public interface NodeModelSource extends NodeTypeSupport {

    Mono<List<DiscoveredModel>> models(Node node);
}
