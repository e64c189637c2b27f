package io.leakscope.growth;

import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import static io.leakscope.growth.Synthetic.MB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalFitterTest {
    private static SignalFitter.Fit fit(double[][] s) {
        return SignalFitter.fit(s[0], s[1], "bytes", null, 0);
    }

    @Test
    void aSteadyLeakUnderNoiseIsALeakWithTheRightSlope() {
        var m = new Synthetic.Model(Synthetic.linear(300 * MB, 1 * MB), 4 * MB, 0.6, 10, 2 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(m, 30, 1));
        assertEquals(Verdict.LEAK, f.verdict(), f.reason());
        double slope = f.trend().slope();
        assertTrue(Math.abs(slope - MB) < 0.1 * MB, "slope " + slope / MB + " MiB/min");
        assertTrue(f.trend().slopeLow() < MB && MB < f.trend().slopeHigh(), "interval holds the true slope");
        assertTrue(f.trend().pValue() < 0.001);
        assertTrue(f.trend().r2() > 0.5);
    }

    @Test
    void aFlatSawToothIsNotALeakAndALeakingOneIsFoundThroughItsEnvelope() {
        var flat = new Synthetic.Model(Synthetic.flat(200 * MB), 3 * MB, 0.5, 15, 20 * MB);
        double[][] raw = Synthetic.rawHeap(flat, 30, 2);
        double[][] env = Envelope.lower(raw[0], raw[1]);
        assertTrue(env[0].length > 50 && env[0].length < 200, "one trough per collection: " + env[0].length);
        assertNotEquals(Verdict.LEAK, fit(env).verdict(), fit(env).reason());

        var leaking = new Synthetic.Model(Synthetic.linear(200 * MB, 2 * MB), 3 * MB, 0.5, 15, 20 * MB);
        double[][] raw2 = Synthetic.rawHeap(leaking, 30, 3);
        SignalFitter.Fit f = fit(Envelope.lower(raw2[0], raw2[1]));
        assertEquals(Verdict.LEAK, f.verdict(), f.reason());
        assertTrue(Math.abs(f.trend().slope() - 2 * MB) < 0.2 * MB, "slope " + f.trend().slope() / MB);
    }

    @Test
    void aCacheFillingTowardsACeilingSaturates() {
        var m = new Synthetic.Model(Synthetic.saturating(100 * MB, 200 * MB, 8), 2 * MB, 0.3, 10, 5 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(m, 20, 4));
        assertEquals(Verdict.SATURATING, f.verdict(), f.reason());
        assertNotNull(f.plateau());
        assertTrue(Math.abs(f.plateau() - 300 * MB) < 40 * MB, "plateau " + f.plateau() / MB);
    }

    @Test
    void aCacheThatAlreadyFilledIsStableAfterItsWarmup() {
        var m = new Synthetic.Model(Synthetic.saturating(100 * MB, 200 * MB, 2), 2 * MB, 0.3, 10, 5 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(m, 40, 5));
        assertNotEquals(Verdict.LEAK, f.verdict(), f.reason());
    }

    @Test
    void aWarmupIsCutAndTheSteadyPartDecides() {
        var flatAfter = new Synthetic.Model(Synthetic.warmup(150 * MB, 5, Synthetic.flat(250 * MB)), 2 * MB, 0.3, 10, 5 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(flatAfter, 30, 6));
        assertEquals(Verdict.STABLE, f.verdict(), f.reason());
        assertTrue(f.cutMinutes() > 3 && f.cutMinutes() < 8, "cut at " + f.cutMinutes());

        var leakAfter = new Synthetic.Model(Synthetic.warmup(150 * MB, 5, Synthetic.linear(250 * MB, 1 * MB)), 2 * MB, 0.3, 10, 5 * MB);
        SignalFitter.Fit g = fit(Synthetic.afterGc(leakAfter, 30, 7));
        assertEquals(Verdict.LEAK, g.verdict(), g.reason());
        assertTrue(g.cutMinutes() > 3, "cut at " + g.cutMinutes());
        assertTrue(Math.abs(g.trend().slope() - MB) < 0.15 * MB, "slope after the warm-up " + g.trend().slope() / MB);
    }

    @Test
    void aSingleStepIsNotALeak() {
        var m = new Synthetic.Model(Synthetic.step(300 * MB, 50 * MB, 20), 2 * MB, 0.3, 10, 5 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(m, 30, 8));
        assertEquals(Verdict.STABLE, f.verdict(), f.reason());
        assertTrue(f.reason().contains("step"), f.reason());
    }

    @Test
    void tooFewPointsIsInconclusiveAndSaysWhatIsNeeded() {
        double[] t = {0, 1, 2, 3, 4};
        double[] y = {1e8, 1.1e8, 1.2e8, 1.3e8, 1.4e8};
        SignalFitter.Fit f = SignalFitter.fit(t, y, "bytes", null, 0);
        assertEquals(Verdict.INCONCLUSIVE, f.verdict());
        assertEquals(10.0, f.minCaptureMinutes(), 1e-9);
        assertTrue(f.reason().contains("at least 10"), f.reason());
    }

    @Test
    void aShortNoisyCaptureIsInconclusiveWithALongerCaptureSuggested() {
        var m = new Synthetic.Model(Synthetic.flat(300 * MB), 20 * MB, 0.5, 10, 5 * MB);
        SignalFitter.Fit f = fit(Synthetic.afterGc(m, 3, 9));
        assertEquals(Verdict.INCONCLUSIVE, f.verdict(), f.reason());
        assertTrue(f.minCaptureMinutes() > 3, "suggests more than it had: " + f.minCaptureMinutes());
    }

    @Test
    void aTinySignificantDriftIsBelowThePracticalThreshold() {
        // 10 KiB/min on 100 MiB: significant (noise-free), but under the 1 MiB an hour floor
        double[] t = new double[300];
        double[] y = new double[300];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 0.5;
            y[i] = 100 * MB + 10240 * t[i] + (i % 3) * 1024;
        }
        SignalFitter.Fit f = SignalFitter.fit(t, y, "bytes", null, 0);
        assertTrue(f.trend().pValue() < 0.001);
        assertEquals(Verdict.STABLE, f.verdict(), f.reason());
        assertTrue(f.reason().contains("practical"), f.reason());
        // the same drift below a limit it reaches within three days (about 42 MiB away) is a leak
        SignalFitter.Fit near = SignalFitter.fit(t, y, "bytes", 120 * MB, 0);
        assertEquals(Verdict.LEAK, near.verdict(), near.reason());
    }

    @Test
    void aTrendThatHasNotVisiblyGrownYetIsInconclusive() {
        // 600 KiB/min on 300 MiB for 2 minutes: significant, far above 5% a day, but only 1.2 MiB of 3 MiB (1%)
        double[] t = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 0.05;
            y[i] = 300 * MB + 600 * 1024 * t[i] + (i % 2) * 4096;
        }
        SignalFitter.Fit f = SignalFitter.fit(t, y, "bytes", null, 0);
        assertEquals(Verdict.INCONCLUSIVE, f.verdict(), f.reason());
        assertTrue(f.minCaptureMinutes() > 4 && f.minCaptureMinutes() < 6, "about 5 minutes: " + f.minCaptureMinutes());
    }

    @Test
    void theClassLoadingMarkDelaysTheWarmupCut() {
        var m = new Synthetic.Model(Synthetic.linear(100 * MB, 1 * MB), 1 * MB, 0.3, 10, 5 * MB);
        double[][] s = Synthetic.afterGc(m, 20, 10);
        SignalFitter.Fit f = SignalFitter.fit(s[0], s[1], "bytes", null, 5);
        assertTrue(f.cutMinutes() >= 5);
        assertEquals(Verdict.LEAK, f.verdict());
    }
}
