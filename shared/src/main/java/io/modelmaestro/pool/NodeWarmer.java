package io.modelmaestro.pool;

import io.modelmaestro.catalog.Node;
import reactor.core.publisher.Mono;

/**
 * Loads one model on a node so the first real request does not pay for it. Called only for models discovery has seen
 * on the node. Node types without a warmer are skipped (OpenAI-compatible servers such as vLLM load their model at
 * start and hosted APIs would bill a request: docs/node-pool.md).
 */
public interface NodeWarmer extends NodeTypeSupport {

    Mono<?> warm(Node node, String model);
}
