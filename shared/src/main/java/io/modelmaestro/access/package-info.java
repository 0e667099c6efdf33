/** Per-user allowlists applied to resolved routes and model lists. */
@NullMarked
package io.modelmaestro.access;

import org.jspecify.annotations.NullMarked;
