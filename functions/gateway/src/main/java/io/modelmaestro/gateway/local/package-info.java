@NullMarked
package io.modelmaestro.gateway.local;

import org.jspecify.annotations.NullMarked;
