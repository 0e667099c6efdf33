package io.modelmaestro.bench.mock;

import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the mock does for one request. Defaults come from the command line; a request may override each knob with a
 * header ({@code x-mock-latency-ms}, {@code x-mock-ttft-ms}, {@code x-mock-chunks}, {@code x-mock-interval-ms}, {@code
 * x-mock-status}) or with a {@code "mock"} object in its JSON body ({@code latency_ms}, {@code ttft_ms}, {@code chunks},
 * {@code interval_ms}, {@code status}). Headers win over the body. The body form exists because gateways do not forward
 * a client's headers upstream, while they do pass unknown body fields through.
 *
 * @param latencyMs delay before a non-streaming answer (or an error) is sent
 * @param ttftMs delay between the response headers (with the preamble frame) and the first content frame
 * @param chunks content frames of a stream; also the number of tokens in a non-streaming answer
 * @param intervalMs delay between two content frames
 * @param status HTTP status; anything but 200 answers with the format's error body after {@code latencyMs}
 * @param stamp whether content frames carry {@code "mock_ns"}, the mock's {@code System.nanoTime()} when the frame was
 *     written (CLOCK_MONOTONIC is system-wide on Linux, so a client on the same machine can compute per-frame transit)
 */
public record MockSettings(int latencyMs, int ttftMs, int chunks, int intervalMs, int status, boolean stamp) {

    public static final MockSettings DEFAULTS = new MockSettings(0, 0, 16, 0, 200, true);

    public MockSettings {
        if (latencyMs < 0 || ttftMs < 0 || chunks < 0 || intervalMs < 0) {
            throw new IllegalArgumentException("mock settings must not be negative");
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
    }

    /** Applies overrides: {@code header} looks up request headers, {@code body} the fields of the body's mock object. */
    public MockSettings with(Function<String, @Nullable String> header, Function<String, @Nullable Integer> body) {
        return new MockSettings(
                pick(header, "x-mock-latency-ms", body, "latency_ms", latencyMs),
                pick(header, "x-mock-ttft-ms", body, "ttft_ms", ttftMs),
                pick(header, "x-mock-chunks", body, "chunks", chunks),
                pick(header, "x-mock-interval-ms", body, "interval_ms", intervalMs),
                pick(header, "x-mock-status", body, "status", status),
                stamp);
    }

    private static int pick(
            Function<String, @Nullable String> header,
            String headerName,
            Function<String, @Nullable Integer> body,
            String field,
            int fallback) {
        String h = header.apply(headerName);
        if (h != null && !h.isBlank()) {
            try {
                return Integer.parseInt(h.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(headerName.toLowerCase(Locale.ROOT) + " must be a number");
            }
        }
        Integer b = body.apply(field);
        return b != null ? b : fallback;
    }

    public MockSettings withStamp(boolean stamp) {
        return new MockSettings(latencyMs, ttftMs, chunks, intervalMs, status, stamp);
    }
}
