@NullMarked
package io.modelmaestro.routing;

import org.jspecify.annotations.NullMarked;
