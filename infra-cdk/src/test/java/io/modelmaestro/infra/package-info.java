@NullMarked
package io.modelmaestro.infra;

import org.jspecify.annotations.NullMarked;
