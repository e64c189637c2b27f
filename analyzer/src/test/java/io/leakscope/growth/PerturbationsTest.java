package io.leakscope.growth;

import io.leakscope.findings.Capture;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.leakscope.growth.Synthetic.MB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerturbationsTest {
    /**
     * RSS of the non-leaking {@code churn} sample agent (-Xmx128m, G1) during a 25 s {@code gate run} with two heap
     * dumps, as /proc/PID/status reported it, and the start times of the capture's four full GCs from the same
     * bundle's manifest (ms from the first sample). The first point is from before the start histogram's full GC,
     * after which G1 shrank the heap; each dump added a step. Fitted as they are, these look like growth.
     */
    static final double[] CHURN_MS = {0, 3285, 4291, 5297, 6301, 7310, 8323, 9439, 10447, 11452, 12459, 13471, 14477,
        15485, 16492, 17505, 18564, 19570, 20576, 21584, 22592, 23604, 24613, 24971};
    static final double[] CHURN_RSS = {125882368, 89374720, 90300416, 90460160, 90468352, 90468352, 90468352, 92766208,
        92766208, 92774400, 92774400, 92778496, 92778496, 92778496, 92778496, 92778496, 92909568, 92909568, 92913664,
        92913664, 92913664, 92913664, 92913664, 92913664};
    static final double[] CHURN_FULL_GCS_MS = {1215, 8378, 17517, 24990};

    private static double[] minutes(double[] ms) {
        double[] out = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = ms[i] / 60000;
        }
        return out;
    }

    @Test
    void theCapturesOwnStepsInARealChurnRunAreNotGrowth() {
        double[] t = minutes(CHURN_MS);
        SignalFitter.Fit raw = SignalFitter.fit(t, CHURN_RSS, "bytes", null, 0);
        assertTrue(raw.trend().pValue() < SignalFitter.ALPHA && raw.trend().slope() > 0,
                "as measured, the staircase is a significant rise: " + raw.reason());
        double[] aligned = Perturbations.align(t, CHURN_RSS, minutes(CHURN_FULL_GCS_MS));
        SignalFitter.Fit f = SignalFitter.fit(t, aligned, "bytes", null, 0);
        assertNotEquals(Verdict.LEAK, f.verdict(), f.reason());
        assertTrue(Math.abs(f.trend().slope()) < 0.5 * MB, "slope " + f.trend().slope() / MB + " MiB/min; " + f.reason());
        assertEquals(CHURN_RSS[CHURN_RSS.length - 1], aligned[aligned.length - 1], 1.0,
                "the last block keeps its measured level");
    }

    @Test
    void growthInsideTheBlocksSurvivesTheJumpsBetweenThem() {
        int n = 120;
        double[] t = new double[n];
        double[] y = new double[n];
        double[] breaks = {0.5, 1.2, 1.6};
        double[] jumps = {-30 * MB, 6 * MB, -12 * MB};
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            t[i] = i / 60.0; // a point a second for two minutes
            y[i] = 200 * MB + 4 * MB * t[i] + r.nextGaussian() * 0.05 * MB;
            for (int k = 0; k < breaks.length; k++) {
                y[i] += t[i] >= breaks[k] ? jumps[k] : 0;
            }
        }
        double[] aligned = Perturbations.align(t, y, breaks);
        SignalFitter.Fit f = SignalFitter.fit(t, aligned, "bytes", null, 0);
        assertEquals(Verdict.LEAK, f.verdict(), f.reason());
        assertEquals(4 * MB, f.trend().slope(), 0.1 * MB);
        assertTrue(f.trend().r2() > 0.99, "one line again: R²=" + f.trend().r2());
    }

    @Test
    void withoutABreakInsideTheSeriesNothingChanges() {
        double[] t = {0, 1, 2, 3, 4};
        double[] y = {1, 2, 3, 4, 5};
        assertSame(y, Perturbations.align(t, y, new double[0]));
        assertSame(y, Perturbations.align(t, y, new double[] {-1, 9}));
        assertArrayEquals(y, Perturbations.align(t, y, new double[] {2.5}), 1e-9, "no jump: nothing to take out");
    }

    @Test
    void onlyTheCapturesFullGcsCountAndTheyStartBeforeTheyAreRecorded() {
        Instant end = Instant.parse("2026-11-29T22:22:11.421Z");
        Capture c = new Capture(null, null, "completed", java.util.Map.of(), List.of(
                new Capture.Event("2026-11-29T22:22:04.067Z", "jfr-start", 1031L, "recording"),
                new Capture.Event(end.toString(), "heap-dump", 55L, "heap dump"),
                new Capture.Event("2026-11-29T22:22:04.329Z", "histogram", 126L, "GC.class_histogram")));
        long[] at = Perturbations.fullGcStarts(c);
        assertArrayEquals(new long[] {Instant.parse("2026-11-29T22:22:04.203Z").toEpochMilli(), end.toEpochMilli() - 55}, at);
        assertEquals(0, Perturbations.fullGcStarts(null).length);
        assertTrue(Perturbations.affected("process.rss") && Perturbations.affected("nmt.total.committed"));
        assertTrue(!Perturbations.affected("jvm.heap.after_gc") && !Perturbations.affected("jvm.oldgen.after_gc"));
    }
}
