package io.modelmaestro.bench.load;

import java.util.Arrays;
import java.util.List;

/** Small-sample statistics for paired rounds: exact percentiles (nearest rank), median, quartiles. */
public final class Stats {

    private Stats() {}

    /**
     * The nearest-rank percentile of {@code values} (not modified): the smallest value with at least {@code p}% of
     * the samples at or below it. {@code p} in (0, 100].
     */
    public static long percentile(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Median with the usual midpoint for an even count. */
    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** Linear-interpolated quantile (type 7, as numpy and R default), q in [0, 1]. */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = (int) Math.ceil(h);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * The paired estimate the harness reports: per round, {@code arm - base}; then the median over rounds with its
     * interquartile range. Noise that hits a whole round (another process waking up) moves both arms and cancels.
     */
    public static Summary pairedDelta(double[] arm, double[] base) {
        if (arm.length != base.length || arm.length == 0) {
            throw new IllegalArgumentException("need the same, non-zero number of rounds for both arms");
        }
        double[] d = new double[arm.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = arm[i] - base[i];
        }
        return summary(d);
    }

    public static Summary summary(double[] values) {
        return new Summary(quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75), values.length);
    }

    /** A median with its quartiles over {@code n} samples. */
    public record Summary(double median, double q1, double q3, int n) {
        public double iqr() {
            return q3 - q1;
        }
    }

    /** Least-squares slope of y over x (e.g. MiB per minute over a soak). */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need at least two points");
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        if (den == 0) {
            throw new IllegalArgumentException("x values are all equal");
        }
        return num / den;
    }
}
