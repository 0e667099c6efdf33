/**
 * Ollama's native API format ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}, {@code /api/embeddings}),
 * both directions: requests decoded into the canonical model, canonical results and stream events encoded as Ollama
 * JSON objects and NDJSON lines. The mapping tables are in docs/providers/ollama.md.
 */
@NullMarked
package io.modelmaestro.wire.ollama;

import org.jspecify.annotations.NullMarked;
