package io.modelmaestro.admin;

import io.modelmaestro.core.error.GatewayException;

/** Validation failures name the field (400 with {@code field}). */
public final class FieldError {
    private FieldError() {}

    public static GatewayException.InvalidRequest of(String field, String message) {
        return new GatewayException.InvalidRequest(field + ": " + message, field);
    }
}
