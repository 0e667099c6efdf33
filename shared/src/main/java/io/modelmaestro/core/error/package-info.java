@NullMarked
package io.modelmaestro.core.error;

import org.jspecify.annotations.NullMarked;
