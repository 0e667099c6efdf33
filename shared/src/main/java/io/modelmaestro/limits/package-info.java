/** Per-user daily request and token limits, counted in Redis across instances (or in process without Redis). */
@NullMarked
package io.modelmaestro.limits;

import org.jspecify.annotations.NullMarked;
