@NullMarked
package io.modelmaestro.config;

import org.jspecify.annotations.NullMarked;
