package io.modelmaestro.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpStatusMappingTest {

    private static GatewayException.UpstreamError upstream(int status) {
        return new GatewayException.UpstreamError(status, "n", "node n: HTTP " + status, 0);
    }

    private static GatewayException.UpstreamTimeout timeout(boolean connectFailure) {
        return new GatewayException.UpstreamTimeout("n", "node n: failed", connectFailure, null);
    }

    private static GatewayException.AllNodesFailed allFailed(GatewayException... attempts) {
        return new GatewayException.AllNodesFailed("all failed", List.of(attempts));
    }

    /** One instance of every direct subclass, with its documented status and kind. */
    static Stream<Arguments> everySubclass() {
        return Stream.of(
                Arguments.of(new GatewayException.InvalidRequest("bad", "model"), 400, ErrorKind.INVALID_REQUEST),
                Arguments.of(new GatewayException.Unauthenticated("who"), 401, ErrorKind.AUTHENTICATION),
                Arguments.of(new GatewayException.Forbidden("no"), 403, ErrorKind.PERMISSION),
                Arguments.of(new GatewayException.NotFound("gone"), 404, ErrorKind.NOT_FOUND),
                Arguments.of(new GatewayException.PayloadTooLarge("big"), 413, ErrorKind.PAYLOAD_TOO_LARGE),
                Arguments.of(new GatewayException.RateLimited("slow down", 3), 429, ErrorKind.RATE_LIMIT),
                Arguments.of(upstream(503), 503, ErrorKind.UPSTREAM),
                Arguments.of(timeout(true), 502, ErrorKind.UPSTREAM),
                Arguments.of(new GatewayException.NoHealthyNode("none"), 503, ErrorKind.UNAVAILABLE),
                Arguments.of(allFailed(upstream(503), upstream(429)), 429, ErrorKind.UPSTREAM),
                Arguments.of(new GatewayException.Internal("oops", null), 500, ErrorKind.INTERNAL));
    }

    @ParameterizedTest
    @MethodSource("everySubclass")
    void statusFor_everySubclassHasItsDocumentedStatusAndKind(GatewayException error, int status, ErrorKind kind) {
        assertThat(HttpStatusMapping.statusFor(error)).isEqualTo(status);
        assertThat(error.kind()).isEqualTo(kind);
    }

    @Test
    void everySubclass_coversEveryPermittedSubclass() {
        Set<Class<?>> covered = everySubclass().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        Set<Class<?>> permitted =
                Arrays.stream(GatewayException.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(permitted);
    }

    static Stream<Arguments> upstreamStatuses() {
        return Stream.of(
                Arguments.of(400, 400),
                Arguments.of(404, 404),
                Arguments.of(408, 408),
                Arguments.of(409, 409),
                Arguments.of(413, 413),
                Arguments.of(422, 422),
                Arguments.of(429, 429),
                Arguments.of(401, 502), // the gateway's credentials for the node, not the client's
                Arguments.of(403, 502),
                Arguments.of(407, 502),
                Arguments.of(500, 502),
                Arguments.of(501, 502),
                Arguments.of(502, 502),
                Arguments.of(503, 503),
                Arguments.of(504, 504),
                Arguments.of(529, 502),
                Arguments.of(200, 502), // a "success" that was still an error, e.g. a broken body
                Arguments.of(302, 502)); // redirects are never followed
    }

    @ParameterizedTest(name = "upstream {0} → {1}")
    @MethodSource("upstreamStatuses")
    void statusFor_upstreamError_passesClientErrorsOnAndTurnsTheRestIntoBadGateway(int upstream, int expected) {
        assertThat(HttpStatusMapping.statusFor(upstream(upstream))).isEqualTo(expected);
    }

    @Test
    void statusFor_upstreamTimeout_isBadGatewayForConnectFailuresAndGatewayTimeoutOtherwise() {
        assertThat(HttpStatusMapping.statusFor(timeout(true))).isEqualTo(502);
        assertThat(HttpStatusMapping.statusFor(timeout(false))).isEqualTo(504);
    }

    static Stream<Arguments> exhausted() {
        return Stream.of(
                Arguments.of("last 429", allFailed(upstream(503), upstream(429)), 429),
                Arguments.of("last 503", allFailed(upstream(429), upstream(503)), 503),
                Arguments.of("last connect failure", allFailed(upstream(429), timeout(true)), 502),
                Arguments.of("last read timeout", allFailed(upstream(429), timeout(false)), 504),
                Arguments.of("last 500", allFailed(upstream(503), upstream(500)), 502),
                Arguments.of("last 401", allFailed(upstream(503), upstream(401)), 502),
                Arguments.of("last 400", allFailed(upstream(503), upstream(400)), 400),
                Arguments.of("last 404", allFailed(upstream(503), upstream(404)), 404),
                Arguments.of(
                        "last internal error is bad gateway, not 500",
                        allFailed(upstream(503), new GatewayException.Internal("x", null)),
                        502),
                Arguments.of(
                        "last nested AllNodesFailed is bad gateway",
                        allFailed(upstream(503), allFailed(upstream(429), upstream(429))),
                        502),
                Arguments.of(
                        "only the last attempt counts", allFailed(upstream(429), upstream(400), timeout(true)), 502));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("exhausted")
    void statusFor_allNodesFailed_followsTheLastAttempt(String name, GatewayException error, int expected) {
        assertThat(HttpStatusMapping.statusFor(error)).isEqualTo(expected);
    }

    @Test
    void allNodesFailed_keepsAnImmutableCopyOfTheAttempts() {
        java.util.ArrayList<GatewayException> attempts = new java.util.ArrayList<>(List.of(upstream(503)));
        GatewayException.AllNodesFailed e = new GatewayException.AllNodesFailed("x", attempts);
        attempts.add(upstream(429));
        assertThat(e.attempts()).hasSize(1);
        assertThat(e.last()).isInstanceOf(GatewayException.UpstreamError.class);
        assertThat(HttpStatusMapping.statusFor(e)).isEqualTo(503);
    }
}
