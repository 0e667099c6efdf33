package io.modelmaestro.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.bench.mock.MockServer;
import io.modelmaestro.bench.mock.MockSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schedulers against the in-process mock. */
class OpenLoopTest {

    static MockServer mock;
    static LoadClient client;
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @BeforeAll
    static void start() throws Exception {
        mock = MockServer.start("127.0.0.1", 0, 1, MockSettings.DEFAULTS);
        client = new LoadClient(1);
    }

    @AfterAll
    static void stop() {
        client.close();
        mock.close();
    }

    static Request unary(int latencyMs) {
        return Request.post(
                "/v1/chat/completions",
                List.of(),
                "{\"model\":\"m\",\"mock\":{\"latency_ms\":" + latencyMs + "}}",
                FrameFormat.NONE);
    }

    /**
     * One connection, 200 requests/s, and the first answer stalls 200 ms. Requests due during the stall wait for the
     * connection; measured from their intended send time, about 40 of them took between 5 and 200 ms. Measured from
     * the moment each was actually written (coordinated omission), all but the first would look instant.
     */
    @Test
    void latencyCountsFromTheIntendedSendTime() {
        Request stall = unary(200);
        Request fast = unary(0);
        LoadResult r = OpenLoop.run(
                client, Endpoint.local(mock.port()), i -> i == 0 ? stall : fast, 200, 500 * MS, 0, 1, 5000 * MS);
        assertThat(r.errors()).isZero();
        assertThat(r.sent()).isEqualTo(100);
        assertThat(r.latency().getMaxValue()).isGreaterThanOrEqualTo(200 * MS);
        // Requests 0..19 were due at 0, 5, ..., 95 ms and could not start before 200 ms.
        assertThat(r.latency().getCountBetweenValues(100 * MS, 60_000 * MS)).isGreaterThanOrEqualTo(20);
        assertThat(r.service().getCountBetweenValues(100 * MS, 60_000 * MS))
                .isLessThan(r.latency().getCountBetweenValues(100 * MS, 60_000 * MS));
    }

    @Test
    void sendsExactlyRateTimesDurationAndSkipsTheWarmUp() {
        LoadResult r =
                OpenLoop.run(client, Endpoint.local(mock.port()), i -> unary(0), 400, 500 * MS, 250 * MS, 8, 5000 * MS);
        assertThat(r.allSent()).isEqualTo(200);
        assertThat(r.sent()).isEqualTo(100);
        assertThat(r.ok()).isEqualTo(100);
        assertThat(r.achievedRate()).isEqualTo(400.0);
    }

    @Test
    void errorsAreCountedNotMeasured() {
        Request failing = Request.post(
                "/v1/chat/completions", List.of(), "{\"model\":\"m\",\"mock\":{\"status\":500}}", FrameFormat.NONE);
        LoadResult r = OpenLoop.run(client, Endpoint.local(mock.port()), i -> failing, 100, 200 * MS, 0, 4, 5000 * MS);
        assertThat(r.errors()).isEqualTo(20);
        assertThat(r.ok()).isZero();
        assertThat(r.latency().getTotalCount()).isZero();
        assertThat(r.firstError()).isEqualTo("HTTP 500");
    }

    @Test
    void closedLoopKeepsEachConnectionBusy() {
        LoadResult r = ClosedLoop.run(client, Endpoint.local(mock.port()), i -> unary(20), 3, 400 * MS, 0, 5000 * MS);
        assertThat(r.errors()).isZero();
        assertThat(r.connections()).isEqualTo(3);
        // 3 connections × (400 ms / ≥ 20 ms per answer): at most 3 × 20 = 60 answers, and each one took ≥ 20 ms.
        assertThat(r.allSent()).isBetween(3L, 63L);
        assertThat(r.latency().getMinValue()).isGreaterThanOrEqualTo(20 * MS);
    }
}
