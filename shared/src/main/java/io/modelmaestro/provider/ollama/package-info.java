@NullMarked
package io.modelmaestro.provider.ollama;

import org.jspecify.annotations.NullMarked;
