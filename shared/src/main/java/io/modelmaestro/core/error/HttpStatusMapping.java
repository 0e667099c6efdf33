package io.modelmaestro.core.error;

/**
 * The single place where a {@link GatewayException} becomes an HTTP status. The switch is exhaustive and has no
 * default, so a new subclass without a status does not compile.
 */
public final class HttpStatusMapping {

    private HttpStatusMapping() {}

    public static int statusFor(GatewayException error) {
        return switch (error) {
            case GatewayException.InvalidRequest e -> 400;
            case GatewayException.Unauthenticated e -> 401;
            case GatewayException.Forbidden e -> 403;
            case GatewayException.NotFound e -> 404;
            case GatewayException.PayloadTooLarge e -> 413;
            case GatewayException.RateLimited e -> 429;
            case GatewayException.UpstreamError e -> upstreamStatus(e.status());
            case GatewayException.UpstreamTimeout e -> e.connectFailure() ? 502 : 504;
            case GatewayException.NoHealthyNode e -> 503;
            case GatewayException.AllNodesFailed e -> statusForExhausted(e.last());
            case GatewayException.Internal e -> 500;
        };
    }

    /**
     * After every node failed, the client sees the class of the last failure: a 429 stays a 429 (the client should
     * back off), a client error the upstream reported stays as it is, anything else is a bad gateway.
     */
    private static int statusForExhausted(GatewayException last) {
        if (last instanceof GatewayException.AllNodesFailed) {
            return 502;
        }
        int status = statusFor(last);
        return status == 500 ? 502 : status;
    }

    /**
     * An upstream's status as the client should see it. Client errors (4xx) are passed on, since they describe the
     * request; 401/403 from an upstream are the gateway's credentials failing, not the client's, so they become 502.
     */
    private static int upstreamStatus(int status) {
        if (status == 401 || status == 403 || status == 407) {
            return 502;
        }
        if (status >= 400 && status < 500) {
            return status;
        }
        if (status == 503 || status == 504) {
            return status;
        }
        return 502;
    }
}
