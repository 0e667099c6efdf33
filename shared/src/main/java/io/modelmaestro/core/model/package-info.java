@NullMarked
package io.modelmaestro.core.model;

import org.jspecify.annotations.NullMarked;
