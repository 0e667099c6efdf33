package io.modelmaestro.core.error;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one error hierarchy of the gateway. Every failure a client can see is one of these; {@link HttpStatusMapping}
 * gives each its status in one exhaustive switch, and each client dialect renders it in its own error format.
 *
 * <p>Messages are written for the client: they never carry secrets, stack traces or upstream credentials.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits GatewayException.InvalidRequest,
                GatewayException.Unauthenticated,
                GatewayException.Forbidden,
                GatewayException.NotFound,
                GatewayException.PayloadTooLarge,
                GatewayException.RateLimited,
                GatewayException.UpstreamError,
                GatewayException.UpstreamTimeout,
                GatewayException.NoHealthyNode,
                GatewayException.AllNodesFailed,
                GatewayException.Internal {

    private final ErrorKind kind;

    GatewayException(ErrorKind kind, String message, @Nullable Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Never null: every gateway error is constructed with a client-safe message. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        return message == null ? "" : message;
    }

    /** The client's request is malformed or semantically wrong (400). */
    public static final class InvalidRequest extends GatewayException {
        private final @Nullable String param;

        public InvalidRequest(String message) {
            this(message, null);
        }

        public InvalidRequest(String message, @Nullable String param) {
            super(ErrorKind.INVALID_REQUEST, message, null);
            this.param = param;
        }

        public @Nullable String param() {
            return param;
        }
    }

    /** No or bad credentials (401). */
    public static final class Unauthenticated extends GatewayException {
        public Unauthenticated(String message) {
            super(ErrorKind.AUTHENTICATION, message, null);
        }
    }

    /** Authenticated, but not allowed (403). */
    public static final class Forbidden extends GatewayException {
        public Forbidden(String message) {
            super(ErrorKind.PERMISSION, message, null);
        }
    }

    /** An unknown model, node code or entity (404). */
    public static final class NotFound extends GatewayException {
        public NotFound(String message) {
            super(ErrorKind.NOT_FOUND, message, null);
        }
    }

    /** The request body is over the configured limit (413). */
    public static final class PayloadTooLarge extends GatewayException {
        public PayloadTooLarge(String message) {
            super(ErrorKind.PAYLOAD_TOO_LARGE, message, null);
        }
    }

    /** A gateway-side limit was hit (429). {@code headers} are the {@code x-ratelimit-*} headers to send. */
    public static final class RateLimited extends GatewayException {
        private final long retryAfterSeconds;
        private final java.util.Map<String, String> headers;

        public RateLimited(String message, long retryAfterSeconds) {
            this(message, retryAfterSeconds, java.util.Map.of());
        }

        public RateLimited(String message, long retryAfterSeconds, java.util.Map<String, String> headers) {
            super(ErrorKind.RATE_LIMIT, message, null);
            this.retryAfterSeconds = retryAfterSeconds;
            this.headers = java.util.Map.copyOf(headers);
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public java.util.Map<String, String> headers() {
            return headers;
        }
    }

    /**
     * An upstream answered with an error status. {@code status} is the upstream's; whether another node is worth
     * trying is decided in one place, {@code Router.classify}.
     */
    public static final class UpstreamError extends GatewayException {
        private final int status;
        private final String node;
        private final long retryAfterMillis;

        public UpstreamError(int status, String node, String message, long retryAfterMillis) {
            super(ErrorKind.UPSTREAM, message, null);
            this.status = status;
            this.node = node;
            this.retryAfterMillis = retryAfterMillis;
        }

        public int status() {
            return status;
        }

        public String node() {
            return node;
        }

        /** The upstream's {@code Retry-After}, in milliseconds; 0 when it sent none. */
        public long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    /** Connecting to or hearing from an upstream took too long, or the connection failed. */
    public static final class UpstreamTimeout extends GatewayException {
        private final String node;
        private final boolean connectFailure;

        public UpstreamTimeout(String node, String message, boolean connectFailure, @Nullable Throwable cause) {
            super(ErrorKind.UPSTREAM, message, cause);
            this.node = node;
            this.connectFailure = connectFailure;
        }

        public String node() {
            return node;
        }

        /** True when no connection could be made at all (as opposed to a timeout on an open connection). */
        public boolean connectFailure() {
            return connectFailure;
        }
    }

    /** The model exists, but no active and healthy node can serve it right now (503). */
    public static final class NoHealthyNode extends GatewayException {
        public NoHealthyNode(String message) {
            super(ErrorKind.UNAVAILABLE, message, null);
        }
    }

    /** Every candidate node was tried and failed; the attempts say which and how. */
    public static final class AllNodesFailed extends GatewayException {
        private final List<GatewayException> attempts;

        public AllNodesFailed(String message, List<GatewayException> attempts) {
            super(ErrorKind.UPSTREAM, message, null);
            this.attempts = List.copyOf(attempts);
        }

        public List<GatewayException> attempts() {
            return attempts;
        }

        /** The last attempt's failure: it decides the status the client sees. */
        public GatewayException last() {
            return attempts.get(attempts.size() - 1);
        }
    }

    /** A bug or an unexpected condition inside the gateway (500). The message is generic; details go to the log. */
    public static final class Internal extends GatewayException {
        public Internal(String message, @Nullable Throwable cause) {
            super(ErrorKind.INTERNAL, message, cause);
        }
    }
}
