@NullMarked
package io.modelmaestro.crypto;

import org.jspecify.annotations.NullMarked;
