/** The OpenAPI document (generated at compile time) and Swagger UI, served under {@code /api/docs} to admins. */
@NullMarked
package io.modelmaestro.gateway.docs;

import org.jspecify.annotations.NullMarked;
