@NullMarked
package io.modelmaestro.gateway.admin;

import org.jspecify.annotations.NullMarked;
