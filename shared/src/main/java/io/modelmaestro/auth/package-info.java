@NullMarked
package io.modelmaestro.auth;

import org.jspecify.annotations.NullMarked;
