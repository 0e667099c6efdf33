@NullMarked
package io.modelmaestro.bench.load;

import org.jspecify.annotations.NullMarked;
