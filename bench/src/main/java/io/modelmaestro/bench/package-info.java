@NullMarked
package io.modelmaestro.bench;

import org.jspecify.annotations.NullMarked;
