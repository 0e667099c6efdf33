@NullMarked
package io.modelmaestro.admin;

import org.jspecify.annotations.NullMarked;
