/**
 * OpenAI's Responses API ({@code /v1/responses}) as an inbound client dialect: request items → canonical {@code
 * ChatRequest}, canonical results and {@code StreamEvent}s → Responses objects and the exact Responses event sequence
 * (docs/responses.md).
 */
@NullMarked
package io.modelmaestro.wire.responses;

import org.jspecify.annotations.NullMarked;
