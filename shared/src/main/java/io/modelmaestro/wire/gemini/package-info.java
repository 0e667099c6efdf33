/**
 * The Gemini API wire format ({@code generateContent}, {@code streamGenerateContent}, {@code countTokens}, the model
 * list): request decoding (the validator of the Gemini surface), response and stream encoding, finish reasons, usage,
 * and the normalisation of Gemini's OpenAPI-style schemas into JSON Schema. The mapping table is in docs/gemini.md.
 */
@NullMarked
package io.modelmaestro.wire.gemini;

import org.jspecify.annotations.NullMarked;
