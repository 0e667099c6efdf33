@NullMarked
package io.modelmaestro.provider.openai;

import org.jspecify.annotations.NullMarked;
