package io.modelmaestro.pool;

import io.modelmaestro.catalog.Node;
import reactor.core.publisher.Mono;

/**
 * The active health check of one node type: a cheap call that costs nothing (no tokens). The returned {@code Mono}
 * completes (empty or with any value) when the node is healthy and fails otherwise; the caller applies the timeout.
 * Register an implementation as a bean; with several for a type, the highest {@link #precedence()} wins (this is how
 * the Bedrock provider plugs in its own check).
 */
public interface NodeProbe extends NodeTypeSupport {

    Mono<?> probe(Node node);
}
