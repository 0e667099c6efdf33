/** What is specific to Ollama clients: the {@code {"error": "..."}} error shape, as a response and in-stream. */
@NullMarked
package io.modelmaestro.dialect.ollama;

import org.jspecify.annotations.NullMarked;
