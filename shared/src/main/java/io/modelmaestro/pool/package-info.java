/**
 * Node pool management (docs/node-pool.md): active health checks, model discovery and warmup, per node type behind
 * {@link io.modelmaestro.pool.NodeProbe}, {@link io.modelmaestro.pool.NodeModelSource} and {@link
 * io.modelmaestro.pool.NodeWarmer}; the services that run them for one node and store what they found.
 */
@NullMarked
package io.modelmaestro.pool;

import org.jspecify.annotations.NullMarked;
