/**
 * The request pipeline: decode with a dialect, resolve, route with failover, call a provider (or pass through when
 * client and upstream speak the same format), encode, and record activity. Transport-agnostic: the HTTP entry points
 * in {@code functions/} hand in an {@link io.modelmaestro.pipeline.InboundRequest} and render the {@link
 * io.modelmaestro.pipeline.OutboundResponse}.
 */
@NullMarked
package io.modelmaestro.pipeline;

import org.jspecify.annotations.NullMarked;
