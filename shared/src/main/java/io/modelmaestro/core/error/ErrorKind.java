package io.modelmaestro.core.error;

/** Coarse error categories; dialects map them to their own error type names. */
public enum ErrorKind {
    INVALID_REQUEST,
    AUTHENTICATION,
    PERMISSION,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    RATE_LIMIT,
    UPSTREAM,
    UNAVAILABLE,
    INTERNAL
}
