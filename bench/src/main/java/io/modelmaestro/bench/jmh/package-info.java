@NullMarked
package io.modelmaestro.bench.jmh;

import org.jspecify.annotations.NullMarked;
