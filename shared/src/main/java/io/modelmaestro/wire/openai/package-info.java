/**
 * The OpenAI chat-completions wire format, both directions: OpenAI is a client dialect and an upstream format, so the
 * decoder and encoder for each side live here once (the dialect and provider packages use them).
 */
@NullMarked
package io.modelmaestro.wire.openai;

import org.jspecify.annotations.NullMarked;
