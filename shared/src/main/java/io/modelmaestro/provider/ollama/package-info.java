/**
 * Ollama nodes spoken to natively ({@code /api/*} under the node's root URL): the HTTP calls ({@link
 * io.modelmaestro.provider.ollama.OllamaHttp}) and the NDJSON rewriter of the passthrough path, which serves Ollama
 * clients with only the model name changed.
 */
@NullMarked
package io.modelmaestro.provider.ollama;

import org.jspecify.annotations.NullMarked;
