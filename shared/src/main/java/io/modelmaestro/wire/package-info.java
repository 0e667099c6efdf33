/** What the wire formats share. */
@NullMarked
package io.modelmaestro.wire;

import org.jspecify.annotations.NullMarked;
