package io.leakscope.growth;

import java.util.Arrays;

/**
 * The lower envelope of a raw heap-used series. Heap used rises while the application allocates and
 * drops at each collection; only the troughs say what survived, so only they are fitted. A trough is the
 * first sample after a drop of more than a twentieth of the series' range. With too few drops (a heap
 * sampled more slowly than it collects) the minimum of each window of {@link #WINDOW} samples stands in.
 */
final class Envelope {
    static final int WINDOW = 10;
    private static final int MIN_TROUGHS = 8;

    private Envelope() {
    }

    /** Returns {times, values} of the envelope points. */
    static double[][] lower(double[] t, double[] y) {
        int n = y.length;
        if (n < 3) {
            return new double[][] {t.clone(), y.clone()};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double drop = (max - min) / 20;
        double[] et = new double[n];
        double[] ev = new double[n];
        int k = 0;
        for (int i = 1; i < n; i++) {
            if (y[i - 1] - y[i] > drop) {
                et[k] = t[i];
                ev[k] = y[i];
                k++;
            }
        }
        if (k >= MIN_TROUGHS) {
            return new double[][] {Arrays.copyOf(et, k), Arrays.copyOf(ev, k)};
        }
        k = 0;
        for (int from = 0; from < n; from += WINDOW) {
            int to = Math.min(n, from + WINDOW);
            int argMin = from;
            for (int i = from + 1; i < to; i++) {
                if (y[i] < y[argMin]) {
                    argMin = i;
                }
            }
            et[k] = t[argMin];
            ev[k] = y[argMin];
            k++;
        }
        return new double[][] {Arrays.copyOf(et, k), Arrays.copyOf(ev, k)};
    }
}
