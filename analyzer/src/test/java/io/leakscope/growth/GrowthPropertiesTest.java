package io.leakscope.growth;

import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static io.leakscope.growth.Synthetic.MB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties over many random series: each case is drawn from a seeded generator, so failures replay. */
class GrowthPropertiesTest {
    private static final int CASES = 200;

    /** A random non-leak: flat, a filled cache, a step, or a warm-up then flat, with random noise and level. */
    static DoubleUnaryOperator nonLeak(SplittableRandom r, double level) {
        return switch (r.nextInt(4)) {
            case 0 -> Synthetic.flat(level);
            case 1 -> Synthetic.saturating(level, level * (0.1 + r.nextDouble()), 1 + r.nextDouble() * 3);
            case 2 -> Synthetic.step(level, level * (0.05 + 0.2 * r.nextDouble()), 5 + r.nextDouble() * 20);
            default -> Synthetic.warmup(level * 0.5 * r.nextDouble(), 2 + 5 * r.nextDouble(), Synthetic.flat(level));
        };
    }

    @Test
    void randomNonLeaksAreAlmostNeverCalledLeaks() {
        SplittableRandom r = new SplittableRandom(42);
        int leaks = 0;
        StringBuilder which = new StringBuilder();
        for (int i = 0; i < CASES; i++) {
            double level = (50 + r.nextDouble() * 2000) * MB;
            var m = new Synthetic.Model(nonLeak(r, level), level * (0.002 + 0.03 * r.nextDouble()), r.nextDouble() * 0.8,
                    5 + r.nextDouble() * 25, 10 * MB);
            double[][] s = Synthetic.afterGc(m, 20 + r.nextDouble() * 40, r.nextLong());
            SignalFitter.Fit f = SignalFitter.fit(s[0], s[1], "bytes", null, 0);
            if (f.verdict() == Verdict.LEAK) {
                leaks++;
                which.append("\ncase ").append(i).append(": ").append(f.reason());
            }
        }
        assertTrue(leaks <= CASES / 100, leaks + " false leaks in " + CASES + which);
    }

    @Test
    void randomClearLeaksAreFound() {
        SplittableRandom r = new SplittableRandom(43);
        int found = 0;
        StringBuilder missed = new StringBuilder();
        for (int i = 0; i < CASES; i++) {
            double level = (50 + r.nextDouble() * 2000) * MB;
            double minutes = 20 + r.nextDouble() * 40;
            double noise = level * (0.002 + 0.02 * r.nextDouble());
            // clear: grows by at least twice the noise over the capture, and by at least 20% of the level a day
            double slope = Math.max(2 * noise / minutes, level * 0.2 / 1440) * (1 + 3 * r.nextDouble());
            var m = new Synthetic.Model(Synthetic.linear(level, slope), noise, r.nextDouble() * 0.6,
                    5 + r.nextDouble() * 10, 10 * MB);
            double[][] s = Synthetic.afterGc(m, minutes, r.nextLong());
            SignalFitter.Fit f = SignalFitter.fit(s[0], s[1], "bytes", null, 0);
            if (f.verdict() == Verdict.LEAK) {
                found++;
            } else {
                missed.append("\ncase ").append(i).append(": ").append(f.verdict()).append(' ').append(f.reason());
            }
        }
        assertTrue(found >= CASES * 0.95, found + " of " + CASES + " leaks found" + missed);
    }

    @Test
    void theIntervalHoldsTheSlopeAndADecreasingSeriesNeverLeaks() {
        SplittableRandom r = new SplittableRandom(44);
        for (int i = 0; i < CASES; i++) {
            double level = (100 + r.nextDouble() * 1000) * MB;
            var m = new Synthetic.Model(Synthetic.linear(level, -r.nextDouble() * 2 * MB), level * 0.01,
                    r.nextDouble() * 0.8, 5 + r.nextDouble() * 20, 10 * MB);
            double[][] s = Synthetic.afterGc(m, 10 + r.nextDouble() * 50, r.nextLong());
            SignalFitter.Fit f = SignalFitter.fit(s[0], s[1], "bytes", null, 0);
            assertNotEquals(Verdict.LEAK, f.verdict(), f.reason());
            if (f.trend() != null) {
                assertTrue(f.trend().slopeLow() <= f.trend().slope() && f.trend().slope() <= f.trend().slopeHigh());
                assertTrue(f.trend().pValue() >= 0 && f.trend().pValue() <= 1);
            }
        }
    }

    @Test
    void scalingTheValuesScalesTheSlopeAndKeepsTheVerdict() {
        SplittableRandom r = new SplittableRandom(45);
        for (int i = 0; i < 50; i++) {
            double level = (100 + r.nextDouble() * 1000) * MB;
            DoubleUnaryOperator live = r.nextBoolean() ? Synthetic.linear(level, r.nextDouble() * MB) : nonLeak(r, level);
            var m = new Synthetic.Model(live, level * 0.01, r.nextDouble() * 0.5, 10, 10 * MB);
            double[][] s = Synthetic.afterGc(m, 30, r.nextLong());
            double k = 3.5;
            double[] scaled = s[1].clone();
            for (int j = 0; j < scaled.length; j++) {
                scaled[j] *= k;
            }
            // no unit: no absolute floor, so the practical threshold is relative and scales too
            SignalFitter.Fit a = SignalFitter.fit(s[0], s[1], "ratio", null, 0);
            SignalFitter.Fit b = SignalFitter.fit(s[0], scaled, "ratio", null, 0);
            assertEquals(a.verdict(), b.verdict(), a.reason() + " / " + b.reason());
            assertEquals(a.trend().slope() * k, b.trend().slope(), Math.abs(a.trend().slope() * k) * 1e-9 + 1e-6);
            assertEquals(a.trend().pValue(), b.trend().pValue(), 1e-12);
        }
    }
}
