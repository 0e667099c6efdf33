@NullMarked
package io.modelmaestro.bench.mock;

import org.jspecify.annotations.NullMarked;
