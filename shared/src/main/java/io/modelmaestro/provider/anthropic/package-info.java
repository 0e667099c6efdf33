/**
 * {@code anthropic} nodes: the Messages API over HTTP ({@link io.modelmaestro.provider.anthropic.AnthropicHttp}), the
 * passthrough stream rewriter for Anthropic clients, and the canonical provider for everyone else.
 */
@NullMarked
package io.modelmaestro.provider.anthropic;

import org.jspecify.annotations.NullMarked;
