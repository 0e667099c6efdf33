@NullMarked
package io.modelmaestro.json;

import org.jspecify.annotations.NullMarked;
