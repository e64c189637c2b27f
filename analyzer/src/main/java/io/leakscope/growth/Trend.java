package io.leakscope.growth;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.Arrays;

/**
 * The trend statistics of one series: Mann–Kendall with the Hamed–Rao correction for autocorrelation, the
 * Theil–Sen slope with Sen's confidence interval (from the same corrected variance), and OLS for R².
 * Times are in minutes, so slopes come out per minute.
 */
final class Trend {
    private static final NormalDistribution NORMAL = new NormalDistribution();

    private Trend() {
    }

    /**
     * @param s          Mann–Kendall S (concordant minus discordant pairs)
     * @param varS       its variance, corrected for ties and autocorrelation
     * @param ess        the Hamed–Rao variance factor n/n* (1 when the ranks show no autocorrelation)
     * @param pValue     two-sided p-value of "no monotone trend"
     * @param slope      Theil–Sen slope, per minute
     * @param slopeLow   lower end of the interval
     * @param slopeHigh  upper end
     * @param intercept  Theil–Sen intercept: the level at t = 0
     * @param r2         OLS R²
     * @param olsSlope   OLS slope, per minute
     */
    record Result(double s, double varS, double ess, double pValue, double slope, double slopeLow, double slopeHigh,
                  double intercept, double r2, double olsSlope) {
        double levelAt(double t) {
            return intercept + slope * t;
        }
    }

    static double zFor(double confidence) {
        return NORMAL.inverseCumulativeProbability(0.5 + confidence / 2);
    }

    /** All statistics, with the slope interval at {@code confidence} (e.g. 0.95). */
    static Result of(double[] t, double[] y, double confidence) {
        int n = y.length;
        if (n < 3) {
            throw new IllegalArgumentException("a trend needs at least 3 points, got " + n);
        }
        double[] slopes = pairwiseSlopes(t, y);
        double slope = median(slopes);
        double[] resid = new double[n];
        for (int i = 0; i < n; i++) {
            resid[i] = y[i] - slope * t[i];
        }
        double intercept = median(resid.clone());

        long s = kendallS(y);
        double varS = tieCorrectedVariance(y);
        double ess = hamedRaoFactor(resid);
        varS *= ess;
        double p;
        if (varS <= 0) {
            p = 1; // every value equal: no trend to speak of
        } else {
            double z = (s - Math.signum(s)) / Math.sqrt(varS);
            p = Math.min(1, 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z))));
        }

        int m = slopes.length;
        double c = zFor(confidence) * Math.sqrt(Math.max(varS, 0));
        int lo = (int) Math.floor((m - c) / 2);       // 1-based rank M1, as 0-based index M1 - 1
        int hi = (int) Math.ceil((m + c) / 2);        // 1-based rank M2 + 1, as 0-based index M2
        double low = slopes[clamp(lo - 1, m)];
        double high = slopes[clamp(hi, m)];

        SimpleRegression ols = new SimpleRegression();
        for (int i = 0; i < n; i++) {
            ols.addData(t[i], y[i]);
        }
        double r2 = ols.getRSquare();
        return new Result(s, varS, ess, p, slope, Math.min(low, slope), Math.max(high, slope), intercept,
                Double.isNaN(r2) ? 0 : r2, ols.getSlope());
    }

    private static int clamp(int i, int m) {
        return Math.max(0, Math.min(m - 1, i));
    }

    /** Every slope between two points at distinct times, sorted. */
    static double[] pairwiseSlopes(double[] t, double[] y) {
        int n = y.length;
        double[] out = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dt = t[j] - t[i];
                if (dt > 0) {
                    out[k++] = (y[j] - y[i]) / dt;
                }
            }
        }
        if (k == 0) {
            return new double[] {0};
        }
        double[] slopes = k == out.length ? out : Arrays.copyOf(out, k);
        Arrays.sort(slopes);
        return slopes;
    }

    static long kendallS(double[] y) {
        long s = 0;
        for (int i = 0; i < y.length; i++) {
            double yi = y[i];
            for (int j = i + 1; j < y.length; j++) {
                double d = y[j] - yi;
                s += d > 0 ? 1 : d < 0 ? -1 : 0;
            }
        }
        return s;
    }

    static double tieCorrectedVariance(double[] y) {
        int n = y.length;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double ties = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double g = j - i + 1;
            ties += g * (g - 1) * (2 * g + 5);
            i = j + 1;
        }
        return ((double) n * (n - 1) * (2 * n + 5) - ties) / 18.0;
    }

    /**
     * Hamed & Rao (1998): the variance of S grows with the autocorrelation of the detrended ranks. Only lags
     * whose autocorrelation is significant at 5% count. Never below 1: positive autocorrelation (the GC
     * saw-tooth, slow drifts) is what inflates significance, and a factor below 1 would make us bolder.
     */
    static double hamedRaoFactor(double[] detrended) {
        int n = detrended.length;
        if (n < 5) {
            return 1;
        }
        double[] r = ranks(detrended);
        double mean = (n + 1) / 2.0;
        double c0 = 0;
        for (double v : r) {
            c0 += (v - mean) * (v - mean);
        }
        if (c0 == 0) {
            return 1;
        }
        double bound = 1.96 / Math.sqrt(n);
        double sum = 0;
        for (int k = 1; k < n - 2; k++) {
            double ck = 0;
            for (int i = 0; i + k < n; i++) {
                ck += (r[i] - mean) * (r[i + k] - mean);
            }
            double rk = ck / c0;
            if (Math.abs(rk) > bound) {
                sum += (double) (n - k) * (n - k - 1) * (n - k - 2) * rk;
            }
        }
        double factor = 1 + 2.0 / ((double) n * (n - 1) * (n - 2)) * sum;
        return Math.max(1, factor);
    }

    /** Ranks 1..n, ties sharing their mean rank. */
    static double[] ranks(double[] x) {
        int n = x.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    static double median(double[] sortedOrNot) {
        double[] a = sortedOrNot;
        if (!isSorted(a)) {
            a = a.clone();
            Arrays.sort(a);
        }
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static boolean isSorted(double[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
