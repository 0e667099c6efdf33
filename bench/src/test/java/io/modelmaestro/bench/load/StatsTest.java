package io.modelmaestro.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentile() {
        long[] v = {15, 20, 35, 40, 50};
        assertThat(Stats.percentile(v, 5)).isEqualTo(15);
        assertThat(Stats.percentile(v, 30)).isEqualTo(20);
        assertThat(Stats.percentile(v, 40)).isEqualTo(20);
        assertThat(Stats.percentile(v, 50)).isEqualTo(35);
        assertThat(Stats.percentile(v, 100)).isEqualTo(50);
        assertThat(v).containsExactly(15, 20, 35, 40, 50);
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i;
        }
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99);
        assertThatThrownBy(() -> Stats.percentile(v, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quantilesMatchNumpysDefault() {
        double[] v = {1, 2, 3, 4};
        // numpy.quantile([1,2,3,4], [0.25, 0.5, 0.75]) == [1.75, 2.5, 3.25]
        assertThat(Stats.quantile(v, 0.25)).isEqualTo(1.75);
        assertThat(Stats.median(v)).isEqualTo(2.5);
        assertThat(Stats.quantile(v, 0.75)).isEqualTo(3.25);
        assertThat(Stats.median(new double[] {7})).isEqualTo(7);
    }

    @Test
    void pairedDeltaIsPerRoundThenMedian() {
        // The arms drift together (round 3 is slow for both): the per-round difference ignores it.
        double[] gw = {1.3, 1.2, 9.3, 1.4, 1.2};
        double[] direct = {1.0, 1.0, 9.0, 1.0, 1.0};
        Stats.Summary s = Stats.pairedDelta(gw, direct);
        assertThat(s.median()).isCloseTo(0.3, within(1e-9));
        assertThat(s.q1()).isCloseTo(0.2, within(1e-9));
        assertThat(s.q3()).isCloseTo(0.3, within(1e-9));
        assertThat(s.n()).isEqualTo(5);
        assertThatThrownBy(() -> Stats.pairedDelta(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void slopeIsLeastSquares() {
        assertThat(Stats.slope(new double[] {0, 1, 2, 3}, new double[] {10, 12, 14, 16}))
                .isCloseTo(2, within(1e-9));
        assertThat(Stats.slope(new double[] {0, 1, 2}, new double[] {5, 5, 5})).isZero();
    }

    @Test
    void histogramPercentilesAreWithinItsPrecision() {
        Histogram h = LoadResult.histogram();
        for (long us = 1; us <= 10_000; us++) {
            h.recordValue(us * 1000);
        }
        // 3 significant digits: within 0.1 %.
        assertThat(h.getValueAtPercentile(50) / 1e3).isCloseTo(5000, within(5.0));
        assertThat(h.getValueAtPercentile(99) / 1e3).isCloseTo(9900, within(10.0));
        assertThat(h.getMaxValue() / 1e3).isCloseTo(10_000, within(10.0));
    }
}
