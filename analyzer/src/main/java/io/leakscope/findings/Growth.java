package io.leakscope.findings;

import java.util.List;

/**
 * Growth analysis of the series: one fit per signal and the attribution of the growth to its parts.
 * Filled by the growth stage of the analyzer.
 */
public record Growth(List<SignalFit> signals, List<Attribution> attribution, String explanation) {
    public static final Growth EMPTY = new Growth(List.of(), List.of(), null);

    public Growth {
        signals = signals == null ? List.of() : List.copyOf(signals);
        attribution = attribution == null ? List.of() : List.copyOf(attribution);
    }

    /**
     * The fit of one signal.
     *
     * @param seriesId       the series fitted
     * @param verdict        LEAK, SATURATING, STABLE or INCONCLUSIVE
     * @param slopePerMinute Theil–Sen slope, in the series' unit per minute
     * @param slopeLow       lower end of its confidence interval
     * @param slopeHigh      upper end
     * @param pValue         Mann–Kendall p-value of the trend
     * @param r2             OLS coefficient of determination
     * @param samplesUsed    points after the warm-up cut
     * @param warmupEndMs    where the warm-up cut fell (epoch ms)
     * @param timeToLimit    when the limit is reached at this slope, null if not growing or no limit
     * @param reason         one sentence on why this verdict (or what capture would be enough)
     */
    public record SignalFit(String seriesId, Verdict verdict, Double slopePerMinute, Double slopeLow, Double slopeHigh,
                            Double pValue, Double r2, Integer samplesUsed, Long warmupEndMs, TimeToLimit timeToLimit,
                            String reason) {
    }

    /**
     * @param limitBytes    the limit
     * @param limitSource   which limit
     * @param earliestSecs  at the upper slope bound
     * @param latestSecs    at the lower slope bound (null: not within any horizon)
     */
    public record TimeToLimit(long limitBytes, String limitSource, Double earliestSecs, Double latestSecs) {
    }

    /**
     * A part's share of a total's growth.
     *
     * @param total          the total's series id
     * @param part           the part's series id, or "unexplained"
     * @param label          for people: a class name, an NMT category, a mapping, a Python stack
     * @param slopePerMinute the part's slope
     * @param share          its share of the total's slope, 0..1
     */
    public record Attribution(String total, String part, String label, double slopePerMinute, double share) {
    }
}
