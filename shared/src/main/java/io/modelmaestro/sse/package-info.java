@NullMarked
package io.modelmaestro.sse;

import org.jspecify.annotations.NullMarked;
