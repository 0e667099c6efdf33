@NullMarked
package io.modelmaestro.gateway.http;

import org.jspecify.annotations.NullMarked;
