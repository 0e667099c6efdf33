@NullMarked
package io.modelmaestro.activity;

import org.jspecify.annotations.NullMarked;
