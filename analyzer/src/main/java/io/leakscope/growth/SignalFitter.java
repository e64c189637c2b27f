package io.leakscope.growth;

import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.util.Arrays;
import java.util.Locale;

/**
 * Decides one signal: warm-up cut, trend, practical size, step and saturation checks, and (for
 * undecided signals) the capture that would decide. Works on plain arrays so the detection-quality
 * benchmark can run it on thousands of synthetic series. docs/growth.md explains every threshold.
 */
final class SignalFitter {
    /** Mann–Kendall significance level (two-sided), after the autocorrelation correction. */
    static final double ALPHA = 0.01;
    /** Confidence of the slope interval. */
    static final double CONFIDENCE = 0.95;
    /** Points needed after the warm-up cut before any verdict other than INCONCLUSIVE. */
    static final int MIN_POINTS = 10;
    /** Longer series are reduced to this many time bins (median of each): Theil–Sen is quadratic. */
    static final int MAX_POINTS = 400;
    /** Growth must add at least this share of the current level per day to count as a leak ... */
    static final double MIN_RELATIVE_PER_DAY = 0.05;
    /** ... or reach the limit within this many minutes (3 days) at the estimated slope. */
    static final double NEAR_LIMIT_MINUTES = 3 * 24 * 60;
    /** Absolute floors per unit: 1 MiB an hour, one thread (or object, or class) an hour. */
    static final double MIN_BYTES_PER_MINUTE = 1024.0 * 1024 / 60;
    static final double MIN_COUNT_PER_MINUTE = 1.0 / 60;
    /**
     * A leak must also have visibly grown during the window: by 1% of its level and at least 1 MiB (bytes)
     * or 1 (counts). Below that a rate is an extrapolation of GC timing (garbage promoted early, survivor
     * occupancy), not of retention.
     */
    static final double MIN_RISE_FRACTION = 0.01;
    static final double MIN_RISE_BYTES = 1024.0 * 1024;
    static final double MIN_RISE_COUNT = 1;
    /**
     * STABLE without a significant trend needs the interval to rule out growth this many times the practical
     * threshold (20% of the level a day, 4 MiB an hour): a short capture cannot rule out slow leaks, but it
     * can rule out fast ones, and saying so is more useful than "inconclusive".
     */
    static final double STABLE_BOUND_FACTOR = 4;
    /**
     * SATURATING needs the capture to span this many time constants of the fitted curve: by then the
     * growth rate has halved (e^-0.7), a slowdown noise does not fake once the curve also beats the line.
     */
    static final double MIN_TIME_CONSTANTS = 0.7;
    /**
     * LEAK needs the straight line to explain at least this share of the variance (OLS R²). A rank test finds a
     * "trend" in a staircase of small steps (a JVM's RSS as the heap expands and the JIT fills its code cache)
     * or under one outlier; "grows steadily" is then not what the data say.
     */
    static final double MIN_R2 = 0.1;
    /** SATURATING needs the second half of the window to grow at most this fraction as fast as the first. */
    static final double SATURATION_SLOWDOWN = 0.5;

    private SignalFitter() {
    }

    /**
     * The outcome for one signal. Times are minutes from the first sample given.
     *
     * @param cutIndex    first point used (in the binned series)
     * @param cutMinutes  its time
     * @param trend       null when there were too few points
     * @param minPractical the practical threshold, per minute
     * @param plateau     for SATURATING
     * @param minCaptureMinutes for INCONCLUSIVE
     */
    record Fit(Verdict verdict, int samplesUsed, int cutIndex, double cutMinutes, double endMinutes,
               Trend.Result trend, double minPractical, Double plateau, Double minCaptureMinutes, String reason) {
        double levelAtEnd() {
            return trend == null ? Double.NaN : trend.levelAt(endMinutes);
        }
    }

    /**
     * @param t      minutes, ascending
     * @param y      values (NaN values are dropped)
     * @param unit   bytes or count (anything else gets no absolute floor)
     * @param limit  the limit the signal runs into, or null
     * @param notBeforeMinutes the warm-up ends no earlier than this (e.g. 90% of classes loaded); 0 for none
     */
    static Fit fit(double[] t, double[] y, String unit, Double limit, double notBeforeMinutes) {
        double[][] clean = dropNaN(t, y);
        double[][] binned = binMedians(clean[0], clean[1], MAX_POINTS);
        t = binned[0];
        y = binned[1];
        int n = y.length;
        double interval = n > 1 ? (t[n - 1] - t[0]) / (n - 1) : Double.NaN;
        if (n < MIN_POINTS) {
            Double need = Double.isNaN(interval) ? null : MIN_POINTS * interval;
            return new Fit(Verdict.INCONCLUSIVE, n, 0, n == 0 ? 0 : t[0], n == 0 ? 0 : t[n - 1], null, Double.NaN,
                    null, need, "only " + n + " samples; at least " + MIN_POINTS + " are needed"
                    + (need == null ? "" : " (a capture of at least " + minutes(need) + " at this sampling)"));
        }
        int first = 0;
        while (first < n && t[first] < notBeforeMinutes) {
            first++;
        }
        if (n - first >= MIN_POINTS) {
            // a single step up, flat before and after: decided on the whole window, before any warm-up cut
            // could take the step for the end of a warm-up
            double[] tw = Arrays.copyOfRange(t, first, n);
            double[] yw = Arrays.copyOfRange(y, first, n);
            int step = Shapes.step(tw, yw);
            if (step > 0 && flat(tw, yw, 0, step, unit) && flat(tw, yw, step, yw.length, unit)) {
                Trend.Result tr = Trend.of(tw, yw, CONFIDENCE);
                double jump = Trend.median(Arrays.copyOfRange(yw, step, yw.length)) - Trend.median(Arrays.copyOfRange(yw, 0, step));
                if (jump > 0) {
                    return new Fit(Verdict.STABLE, yw.length, first, tw[0], tw[tw.length - 1], tr,
                            minPractical(unit, tr.levelAt(tw[tw.length - 1])), null, null, "one step of " + amount(jump, unit)
                            + " at " + minutes(tw[step] - t[0]) + ", flat before and after: a one-off allocation, not"
                            + " steady growth");
                }
            }
        }
        int cut = first + (n - first >= MIN_POINTS ? Shapes.warmupCut(Arrays.copyOfRange(t, first, n), Arrays.copyOfRange(y, first, n)) : 0);
        int used = n - cut;
        if (used < MIN_POINTS) {
            double need = (cut + MIN_POINTS) * interval;
            return new Fit(Verdict.INCONCLUSIVE, used, cut, t[Math.min(cut, n - 1)], t[n - 1], null, Double.NaN, null,
                    need, "only " + used + " samples after the warm-up (which ended at " + minutes(t[Math.min(cut, n - 1)] - t[0])
                    + "); a capture of at least " + minutes(need) + " is needed");
        }
        double[] tt = Arrays.copyOfRange(t, cut, n);
        double[] yy = Arrays.copyOfRange(y, cut, n);
        double end = tt[used - 1];
        double span = end - tt[0];
        Trend.Result tr = Trend.of(tt, yy, CONFIDENCE);
        double level = tr.levelAt(end);
        double practical = minPractical(unit, level);
        boolean practicalSlope = tr.slope() >= practical
                || (limit != null && tr.slope() > 0 && (limit - level) / tr.slope() < NEAR_LIMIT_MINUTES);
        boolean significant = tr.pValue() < ALPHA && tr.slope() > 0 && tr.slopeLow() > 0;
        String stats = String.format(Locale.ROOT, "%s/min [%s, %s], p=%.2g, %d samples",
                amount(tr.slope(), unit), amount(tr.slopeLow(), unit), amount(tr.slopeHigh(), unit), tr.pValue(), used);
        String cutText = cut > 0 ? " after a warm-up of " + minutes(tt[0] - t[0]) : "";

        double bound = STABLE_BOUND_FACTOR * practical;
        double rise = tr.slope() * span;
        double minRise = minRise(unit, level);
        if (significant && practicalSlope && rise < minRise) {
            double need = (t[n - 1] - t[0]) + span * (minRise / Math.max(rise, 1e-300) - 1);
            return new Fit(Verdict.INCONCLUSIVE, used, cut, tt[0], end, tr, practical, null, Math.min(7 * 1440, need),
                    "a significant trend, but it has added only " + amount(rise, unit) + " so far (a leak must add at least "
                    + amount(minRise, unit) + " to count); a capture of about " + minutes(Math.min(7 * 1440, need))
                    + " should decide (" + stats + ")" + cutText);
        }
        if (significant && practicalSlope) {
            Shapes.Saturation sat = Shapes.saturation(tt, yy);
            int half = used / 2;
            double firstHalf = Trend.median(Trend.pairwiseSlopes(Arrays.copyOfRange(tt, 0, half), Arrays.copyOfRange(yy, 0, half)));
            double secondHalf = Trend.median(Trend.pairwiseSlopes(Arrays.copyOfRange(tt, half, used), Arrays.copyOfRange(yy, half, used)));
            if (sat != null && sat.aicAdvantage() > Shapes.AIC_MARGIN && sat.rate() * span >= MIN_TIME_CONSTANTS
                    && secondHalf < SATURATION_SLOWDOWN * firstHalf) {
                return new Fit(Verdict.SATURATING, used, cut, tt[0], end, tr, practical, sat.plateau(), null,
                        "grows but levels off towards " + amount(sat.plateau(), unit) + ": the second half grew "
                        + amount(secondHalf, unit) + "/min against " + amount(firstHalf, unit) + "/min in the first ("
                        + stats + ")" + cutText);
            }
            // the cut may have taken the fast start of a filling cache for a warm-up: judge the whole window
            double[] tw = Arrays.copyOfRange(t, first, n);
            double[] yw = Arrays.copyOfRange(y, first, n);
            Shapes.Saturation whole = Shapes.saturation(tw, yw);
            if (whole != null && whole.rate() * (tw[tw.length - 1] - tw[0]) >= MIN_TIME_CONSTANTS && Shapes.saturatesOverall(tw, yw, whole)) {
                return new Fit(Verdict.SATURATING, used, cut, tt[0], end, tr, practical, whole.plateau(), null,
                        "grows but levels off towards " + amount(whole.plateau(), unit) + " (a saturating curve fits the"
                        + " whole capture better than a line or a warm-up followed by a line; " + stats + ")");
            }
            if (tr.r2() < MIN_R2) {
                double need = Math.min(7 * 1440, 2 * (t[n - 1] - t[0]));
                return new Fit(Verdict.INCONCLUSIVE, used, cut, tt[0], end, tr, practical, null, need, String.format(Locale.ROOT,
                        "a significant trend, but a line explains only %.0f%% of the variation (R²=%.2f): steps or outliers"
                        + " rather than steady growth; a capture of about %s should decide (%s)%s", 100 * tr.r2(), tr.r2(),
                        minutes(need), stats, cutText));
            }
            return new Fit(Verdict.LEAK, used, cut, tt[0], end, tr, practical, null, null,
                    "grows steadily by " + stats + ", R²=" + String.format(Locale.ROOT, "%.2f", tr.r2()) + cutText);
        }
        if (significant) {
            return new Fit(Verdict.STABLE, used, cut, tt[0], end, tr, practical, null, null,
                    "a significant drift, but below the practical threshold of " + amount(practical, unit)
                    + "/min (" + stats + ")" + cutText);
        }
        if (tr.slopeHigh() < bound) {
            return new Fit(Verdict.STABLE, used, cut, tt[0], end, tr, practical, null, null,
                    "no significant growth; anything above " + amount(Math.max(tr.slopeHigh(), 0), unit)
                    + "/min is ruled out (" + stats + ")" + cutText);
        }
        double need = captureToDecide(tr, bound, span, t[n - 1] - t[0]);
        return new Fit(Verdict.INCONCLUSIVE, used, cut, tt[0], end, tr, practical, null, need,
                "no significant growth, but the interval still allows " + amount(tr.slopeHigh(), unit)
                + "/min, above the " + amount(bound, unit) + "/min a stable verdict must rule out; a capture of about "
                + minutes(need) + " should decide (" + stats + ")" + cutText);
    }

    /**
     * The slope below which growth is not worth calling a leak: 5% of the current level per day, and at
     * least 1 MiB (bytes) or 1 (counts) per hour. A 500 MB heap must grow by 25 MB a day.
     */
    static double minPractical(String unit, double level) {
        double relative = Math.max(0, level) * MIN_RELATIVE_PER_DAY / 1440;
        double floor = "bytes".equals(unit) ? MIN_BYTES_PER_MINUTE : "count".equals(unit) ? MIN_COUNT_PER_MINUTE : 0;
        return Math.max(relative, floor);
    }

    static double minRise(String unit, double level) {
        double floor = "bytes".equals(unit) ? MIN_RISE_BYTES : "count".equals(unit) ? MIN_RISE_COUNT : 0;
        return Math.max(floor, MIN_RISE_FRACTION * Math.abs(level));
    }

    /** A side of a step is flat when it shows no significant or no practical trend on its own. */
    private static boolean flat(double[] t, double[] y, int from, int to, String unit) {
        if (to - from < 4) {
            return true;
        }
        Trend.Result r = Trend.of(Arrays.copyOfRange(t, from, to), Arrays.copyOfRange(y, from, to), CONFIDENCE);
        return r.pValue() >= ALPHA || r.slope() < minPractical(unit, r.levelAt(t[to - 1]));
    }

    /**
     * The interval's half-width shrinks like duration^(-3/2) at a fixed sampling rate; scale the capture
     * until it either excludes {@code bound} (STABLE) or excludes zero (a trend).
     */
    static double captureToDecide(Trend.Result tr, double bound, double usedSpan, double totalSpan) {
        double halfWidth = Math.max(tr.slopeHigh() - tr.slope(), tr.slope() - tr.slopeLow());
        double target = tr.slope() < bound ? bound - tr.slope() : tr.slope();
        if (!(target > 0) || !(halfWidth > 0) || !(usedSpan > 0)) {
            return 2 * totalSpan;
        }
        double factor = Math.pow(halfWidth / target, 2.0 / 3);
        double warmup = totalSpan - usedSpan;
        return Math.min(7 * 1440, warmup + usedSpan * Math.max(1.25, factor));
    }

    static double[][] dropNaN(double[] t, double[] y) {
        int k = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                k++;
            }
        }
        if (k == y.length) {
            return new double[][] {t, y};
        }
        double[] t2 = new double[k];
        double[] y2 = new double[k];
        k = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(t[i])) {
                t2[k] = t[i];
                y2[k++] = y[i];
            }
        }
        return new double[][] {Arrays.copyOf(t2, k), Arrays.copyOf(y2, k)};
    }

    /** Equal-count bins, each replaced by its median time and median value. */
    static double[][] binMedians(double[] t, double[] y, int maxPoints) {
        int n = y.length;
        if (n <= maxPoints) {
            return new double[][] {t, y};
        }
        double[] bt = new double[maxPoints];
        double[] by = new double[maxPoints];
        for (int b = 0; b < maxPoints; b++) {
            int from = (int) ((long) b * n / maxPoints);
            int to = (int) ((long) (b + 1) * n / maxPoints);
            bt[b] = Trend.median(Arrays.copyOfRange(t, from, to));
            by[b] = Trend.median(Arrays.copyOfRange(y, from, to));
        }
        return new double[][] {bt, by};
    }

    static String amount(double v, String unit) {
        if ("bytes".equals(unit)) {
            return Units.formatBytes(v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v) + ("count".equals(unit) ? "" : " " + unit);
    }

    static String minutes(double m) {
        return Units.formatDuration(m * 60);
    }
}
