/**
 * The Anthropic Messages wire format, both directions: Anthropic is a client dialect (Claude Code, the Anthropic SDKs)
 * and an upstream format ({@code anthropic} nodes), so the request, response and stream codecs of each side live here
 * once. The mapping tables are in docs/providers/anthropic.md.
 */
@NullMarked
package io.modelmaestro.wire.anthropic;

import org.jspecify.annotations.NullMarked;
