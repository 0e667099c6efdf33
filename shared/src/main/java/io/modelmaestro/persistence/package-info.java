@NullMarked
package io.modelmaestro.persistence;

import org.jspecify.annotations.NullMarked;
