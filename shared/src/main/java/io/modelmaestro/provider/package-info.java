@NullMarked
package io.modelmaestro.provider;

import org.jspecify.annotations.NullMarked;
