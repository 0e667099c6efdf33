package io.modelmaestro.bench.load;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What a load run measured inside its window (warm-up excluded): latency histograms in nanoseconds (from the intended
 * send time, and from the actual write), counts, and the achieved rate of good answers.
 */
public final class LoadResult {

    /** Latencies above this are clamped into the top bucket (a 60 s answer is an error anyway). */
    public static final long HIGHEST_NS = 60_000_000_000L;

    final Histogram latency = new Histogram(HIGHEST_NS, 3);
    final Histogram service = new Histogram(HIGHEST_NS, 3);
    long sent;
    long ok;
    long allSent;
    long allOk;
    long errors;

    @Nullable
    String firstError;

    long windowNs;
    double targetRate;
    int connections;

    public static Histogram histogram() {
        return new Histogram(HIGHEST_NS, 3);
    }

    /** Counts every exchange, warm-up included (for CPU per request and database parity). */
    void count(Exchange ex) {
        allSent++;
        if (ex.ok()) {
            allOk++;
        }
    }

    void record(Exchange ex, boolean fromIntended) {
        sent++;
        if (ex.ok()) {
            ok++;
            latency.recordValue(Math.min(fromIntended ? ex.latencyNs() : ex.serviceNs(), HIGHEST_NS));
            service.recordValue(Math.min(ex.serviceNs(), HIGHEST_NS));
        } else {
            errors++;
            if (firstError == null) {
                firstError = ex.describeError();
            }
        }
    }

    void add(LoadResult other) {
        latency.add(other.latency);
        service.add(other.service);
        sent += other.sent;
        ok += other.ok;
        errors += other.errors;
        allSent += other.allSent;
        allOk += other.allOk;
        if (firstError == null) {
            firstError = other.firstError;
        }
    }

    public Histogram latency() {
        return latency;
    }

    public Histogram service() {
        return service;
    }

    public long sent() {
        return sent;
    }

    public long ok() {
        return ok;
    }

    public long errors() {
        return errors;
    }

    /** Every request sent, warm-up included. */
    public long allSent() {
        return allSent;
    }

    /** Every good answer, warm-up included. */
    public long allOk() {
        return allOk;
    }

    public @Nullable String firstError() {
        return firstError;
    }

    public double targetRate() {
        return targetRate;
    }

    public int connections() {
        return connections;
    }

    /** Good answers per second over the measured window. */
    public double achievedRate() {
        return windowNs <= 0 ? 0 : ok * 1e9 / windowNs;
    }

    /** Latency percentile in milliseconds (0 when nothing was measured). */
    public double ms(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
    }

    @Override
    public String toString() {
        return String.format(
                "sent=%d ok=%d errors=%d rate=%.0f/s p50=%.3fms p99=%.3fms max=%.3fms%s",
                sent,
                ok,
                errors,
                achievedRate(),
                ms(50),
                ms(99),
                latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6,
                firstError == null ? "" : " first error: " + firstError);
    }
}
