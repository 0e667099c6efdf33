@NullMarked
package io.modelmaestro.gateway;

import org.jspecify.annotations.NullMarked;
