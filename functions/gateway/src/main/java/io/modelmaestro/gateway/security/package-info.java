@NullMarked
package io.modelmaestro.gateway.security;

import org.jspecify.annotations.NullMarked;
