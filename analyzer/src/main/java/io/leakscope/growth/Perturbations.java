package io.leakscope.growth;

import io.leakscope.findings.Capture;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The capture's own disturbances of process memory. Every class histogram and heap dump leakscope takes is a
 * full GC in the target: G1 and Parallel shrink and uncommit the heap after it, the dump writer mallocs its
 * buffers, and the heap grows back over the next seconds. Process memory (RSS, PSS, NMT committed) therefore
 * jumps at these moments for reasons that are ours, not the target's, and a two-minute CI capture with two
 * heap dumps is a staircase a trend test reads as growth.
 * <p>
 * The cure is the blocked (seasonal) form of the Theil–Sen estimator, as in Hirsch's seasonal Kendall test:
 * the slope comes only from pairs of samples between the same two disturbances, and each block's level is
 * then shifted onto one line. Growth inside the blocks — a real leak — is kept; the jumps between them go.
 * The Java heap after GC is left alone: after a full GC it is the true live set, which is the point.
 */
final class Perturbations {
    /** Event kinds (see the bundle's manifest) that force a full GC in the target. */
    static final Set<String> FULL_GC_KINDS = Set.of("histogram", "heap-dump");

    private Perturbations() {
    }

    /** Start times (epoch ms) of the capture's own full GCs, ascending; empty without a capture. */
    static long[] fullGcStarts(Capture capture) {
        if (capture == null || capture.events() == null) {
            return new long[0];
        }
        List<Long> out = new ArrayList<>();
        for (Capture.Event e : capture.events()) {
            if (!FULL_GC_KINDS.contains(e.kind()) || e.time() == null) {
                continue;
            }
            try {
                // the event is recorded when the action has finished
                long end = Instant.parse(e.time()).toEpochMilli();
                out.add(end - (e.durationMs() == null ? 0 : e.durationMs()));
            } catch (DateTimeParseException ignored) {
                // a hand-edited manifest: no alignment rather than no analysis
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * Series that are process memory as the kernel or NMT sees it: everything fitted except the Java heap
     * (after GC, or its envelope) and the class count.
     */
    static boolean affected(String seriesId) {
        return !GrowthStage.isHeap(seriesId) && !seriesId.startsWith("jvm.metaspace.")
                && !seriesId.equals(GrowthStage.CLASSES_LOADED);
    }

    /**
     * @param t      minutes, ascending
     * @param y      values
     * @param breaks the disturbances, in the same minutes; a sample at or after a break belongs to the next block
     * @return y with each block's level shifted onto the last block's line (so the current level stays as measured), or {@code y} itself when no break
     *         falls inside the series or no block has two samples to take a slope from
     */
    static double[] align(double[] t, double[] y, double[] breaks) {
        int n = y.length;
        int[] block = new int[n];
        int blocks = 0;
        int b = 0;
        double[] sorted = breaks.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            while (b < sorted.length && sorted[b] <= t[i]) {
                b++;
            }
            block[i] = b;
        }
        // renumber so that blocks are 0..k-1 with no empty ones
        int[] id = new int[sorted.length + 1];
        Arrays.fill(id, -1);
        for (int i = 0; i < n; i++) {
            if (id[block[i]] < 0) {
                id[block[i]] = blocks++;
            }
            block[i] = id[block[i]];
        }
        if (blocks < 2) {
            return y;
        }
        int[] from = new int[blocks];
        int[] to = new int[blocks];
        for (int i = n - 1; i >= 0; i--) {
            from[block[i]] = i;
        }
        for (int i = 0; i < n; i++) {
            to[block[i]] = i + 1;
        }
        int pairs = 0;
        for (int k = 0; k < blocks; k++) {
            int m = to[k] - from[k];
            pairs += m * (m - 1) / 2;
        }
        if (pairs == 0) {
            return y;
        }
        double[] slopes = new double[pairs];
        int p = 0;
        for (int k = 0; k < blocks; k++) {
            if (to[k] - from[k] < 2) {
                continue; // a lone point has no slope (pairwiseSlopes would answer 0)
            }
            double[] s = Trend.pairwiseSlopes(Arrays.copyOfRange(t, from[k], to[k]), Arrays.copyOfRange(y, from[k], to[k]));
            System.arraycopy(s, 0, slopes, p, s.length);
            p += s.length;
        }
        if (p == 0) {
            return y;
        }
        double slope = Trend.median(Arrays.copyOf(slopes, p));
        double[] level = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            double[] r = new double[to[k] - from[k]];
            for (int i = from[k]; i < to[k]; i++) {
                r[i - from[k]] = y[i] - slope * t[i];
            }
            level[k] = Trend.median(r);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = y[i] - (level[block[i]] - level[blocks - 1]);
        }
        return out;
    }
}
