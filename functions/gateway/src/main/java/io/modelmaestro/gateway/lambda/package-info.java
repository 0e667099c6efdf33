/** AWS Lambda entry points of the gateway module (the scheduled jobs; the HTTP function is issue 9's). */
@NullMarked
package io.modelmaestro.gateway.lambda;

import org.jspecify.annotations.NullMarked;
