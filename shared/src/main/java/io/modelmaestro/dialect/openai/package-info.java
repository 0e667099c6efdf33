@NullMarked
package io.modelmaestro.dialect.openai;

import org.jspecify.annotations.NullMarked;
