@NullMarked
package io.modelmaestro.upstream;

import org.jspecify.annotations.NullMarked;
