package io.leakscope.growth;

import org.apache.commons.math3.analysis.ParametricUnivariateFunction;
import org.apache.commons.math3.fitting.SimpleCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoints;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The shapes a series is compared against besides a straight line: a warm-up (steep start, then a
 * different regime), a single step, and a saturating curve. Each comparison uses an information criterion,
 * so a shape with more parameters has to earn them.
 */
final class Shapes {
    private Shapes() {
    }

    /** Candidate cut points tried per series: enough for a good cut, bounded so long series stay cheap. */
    private static final int MAX_CANDIDATES = 60;
    /** BIC improvement a two-regime fit needs over one line to count: "very strong" evidence (Kass & Raftery). */
    static final double BIC_MARGIN = 10;
    /** AIC improvement the saturating curve needs over the line. */
    static final double AIC_MARGIN = 10;

    /**
     * Where the warm-up ends: the index of the first point of the steady regime, or 0 when there is none.
     * A cut in the first three quarters is accepted when two separate lines beat one by {@link #BIC_MARGIN} and the
     * part before the cut rose more than twice as fast as the rest (a ramp or a jump early on).
     */
    static int warmupCut(double[] t, double[] y) {
        int n = y.length;
        if (n < 16) {
            return 0;
        }
        double sseOne = lineSse(t, y, 0, n);
        double[] two = twoLines(t, y);
        int best = (int) two[0];
        double bestSse = two[1];
        double floor = sseFloor(y);
        if (best == 0 || bic(bestSse + floor, n, 5) > bic(sseOne + floor, n, 2) - BIC_MARGIN) {
            return 0;
        }
        SimpleRegression before = line(t, y, 0, best);
        SimpleRegression after = line(t, y, best, n);
        double startBefore = before.predict(t[0]);
        double startAfter = after.predict(t[best]);
        double span = t[best] - t[0];
        if (span <= 0) {
            return 0;
        }
        double prefixRate = (startAfter - startBefore) / span;
        double steadyRate = Math.max(0, after.getSlope());
        return prefixRate > 0 && prefixRate > 2 * steadyRate ? best : 0;
    }

    /**
     * The best split of the series into two separate lines, the break in the first three quarters with at
     * least 4 points on the left and 8 on the right: {index of the break, total SSE}.
     */
    static double[] twoLines(double[] t, double[] y) {
        int n = y.length;
        int best = 0;
        double bestSse = Double.MAX_VALUE;
        int lo = 4;
        int hi = Math.min(n * 3 / 4, n - 8);
        int step = Math.max(1, (hi - lo) / MAX_CANDIDATES);
        for (int k = lo; k <= hi; k += step) {
            double sse = lineSse(t, y, 0, k) + lineSse(t, y, k, n);
            if (sse < bestSse) {
                bestSse = sse;
                best = k;
            }
        }
        return new double[] {best, best == 0 ? lineSse(t, y, 0, n) : bestSse};
    }

    /**
     * Whether the saturating curve explains the whole window better than both one line (AIC margin) and a
     * warm-up followed by a line (the two-line fit, which has two parameters more): a cache filling up
     * rather than a warm-up followed by steady growth.
     */
    static boolean saturatesOverall(double[] t, double[] y, Saturation sat) {
        int n = y.length;
        if (sat == null || n < 16 || sat.aicAdvantage() <= AIC_MARGIN) {
            return false;
        }
        double floor = sseFloor(y);
        double aicLine = aic(lineSse(t, y, 0, n) + floor, n, 2);
        double aicCurve = aicLine - sat.aicAdvantage();
        double aicTwo = aic(twoLines(t, y)[1] + floor, n, 5);
        return aicCurve < aicTwo;
    }

    /**
     * A single step: two flat levels fit better than a line (BIC margin). Returns the index of the first
     * point after the step, or -1.
     */
    static int step(double[] t, double[] y) {
        int n = y.length;
        if (n < 12) {
            return -1;
        }
        double[] prefix = new double[n + 1];
        double[] prefix2 = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + y[i];
            prefix2[i + 1] = prefix2[i] + y[i] * y[i];
        }
        int best = -1;
        double bestSse = Double.MAX_VALUE;
        for (int k = 4; k <= n - 4; k++) {
            double sse = flatSse(prefix, prefix2, 0, k) + flatSse(prefix, prefix2, k, n);
            if (sse < bestSse) {
                bestSse = sse;
                best = k;
            }
        }
        double sseLine = lineSse(t, y, 0, n);
        double floor = sseFloor(y);
        return best > 0 && bic(bestSse + floor, n, 3) < bic(sseLine + floor, n, 2) - BIC_MARGIN ? best : -1;
    }

    /**
     * The saturating curve y = a − b·e^(−c·t) fitted by Levenberg–Marquardt.
     *
     * @param plateau     a, the level it tends to
     * @param rate        c, per minute
     * @param aicAdvantage AIC of the line minus AIC of the curve (positive: the curve is better)
     */
    record Saturation(double plateau, double rate, double aicAdvantage) {
    }

    /** Null when the fit fails or makes no sense (a plateau below the data, a non-positive rate). */
    static Saturation saturation(double[] t, double[] y) {
        int n = y.length;
        if (n < 8) {
            return null;
        }
        double t0 = t[0];
        double span = t[n - 1] - t0;
        if (span <= 0) {
            return null;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            max = Math.max(max, v);
        }
        WeightedObservedPoints pts = new WeightedObservedPoints();
        for (int i = 0; i < n; i++) {
            pts.add((t[i] - t0) / span, y[i]); // time scaled to 0..1 keeps the fit well conditioned
        }
        double[] start = {max, Math.max(max - y[0], 1e-9 * Math.abs(max) + 1e-9), 3};
        double[] p;
        try {
            p = SimpleCurveFitter.create(EXP_APPROACH, start).withMaxIterations(200).fit(pts.toList());
        } catch (RuntimeException e) {
            return null; // no convergence: the curve does not describe these data
        }
        if (!(p[2] > 0) || !(p[1] > 0) || !Double.isFinite(p[0])) {
            return null;
        }
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - EXP_APPROACH.value((t[i] - t0) / span, p);
            sse += r * r;
        }
        double floor = sseFloor(y);
        double aicCurve = aic(sse + floor, n, 3);
        double aicLine = aic(lineSse(t, y, 0, n) + floor, n, 2);
        return new Saturation(p[0], p[2] / span, aicLine - aicCurve);
    }

    private static final ParametricUnivariateFunction EXP_APPROACH = new ParametricUnivariateFunction() {
        @Override
        public double value(double x, double... p) {
            return p[0] - p[1] * Math.exp(-p[2] * x);
        }

        @Override
        public double[] gradient(double x, double... p) {
            double e = Math.exp(-p[2] * x);
            return new double[] {1, -e, p[1] * x * e};
        }
    };

    static SimpleRegression line(double[] t, double[] y, int from, int to) {
        SimpleRegression r = new SimpleRegression();
        for (int i = from; i < to; i++) {
            r.addData(t[i], y[i]);
        }
        return r;
    }

    static double lineSse(double[] t, double[] y, int from, int to) {
        if (to - from < 3) {
            return 0;
        }
        double sse = line(t, y, from, to).getSumSquaredErrors();
        return Double.isNaN(sse) ? 0 : Math.max(0, sse);
    }

    private static double flatSse(double[] prefix, double[] prefix2, int from, int to) {
        double m = to - from;
        double sum = prefix[to] - prefix[from];
        return Math.max(0, prefix2[to] - prefix2[from] - sum * sum / m);
    }

    /**
     * Residuals below a millionth of the data's spread are rounding, not signal: without this floor two
     * near-perfect fits of constructed data would differ by orders of magnitude in log-likelihood.
     */
    static double sseFloor(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double sst = 0;
        for (double v : y) {
            sst += (v - mean) * (v - mean);
        }
        return 1e-12 * sst + 1e-12;
    }

    /** Gaussian log-likelihood criteria. */
    static double bic(double sse, int n, int k) {
        return n * Math.log(Math.max(sse, 1e-12) / n) + k * Math.log(n);
    }

    static double aic(double sse, int n, int k) {
        return n * Math.log(Math.max(sse, 1e-12) / n) + 2 * k;
    }
}
