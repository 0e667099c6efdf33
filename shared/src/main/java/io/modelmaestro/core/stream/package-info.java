@NullMarked
package io.modelmaestro.core.stream;

import org.jspecify.annotations.NullMarked;
