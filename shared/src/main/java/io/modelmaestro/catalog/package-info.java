@NullMarked
package io.modelmaestro.catalog;

import org.jspecify.annotations.NullMarked;
