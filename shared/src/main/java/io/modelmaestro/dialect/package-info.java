@NullMarked
package io.modelmaestro.dialect;

import org.jspecify.annotations.NullMarked;
