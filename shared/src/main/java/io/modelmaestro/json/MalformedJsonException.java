package io.modelmaestro.json;

/** A body could not be parsed as JSON. Dialects turn it into a 400 in the client's format. */
public final class MalformedJsonException extends RuntimeException {
    public MalformedJsonException(String message) {
        super(message, null, false, false);
    }
}
