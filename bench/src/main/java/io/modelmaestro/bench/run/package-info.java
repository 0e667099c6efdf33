@NullMarked
package io.modelmaestro.bench.run;

import org.jspecify.annotations.NullMarked;
