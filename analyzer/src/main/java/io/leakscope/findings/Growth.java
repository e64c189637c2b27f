package io.leakscope.findings;

import java.util.List;

/**
 * Growth analysis of the series: one fit per signal and the attribution of the growth to its parts.
 * Filled by the growth stage of the analyzer ({@code io.leakscope.growth.GrowthStage}); docs/growth.md has
 * the method and the thresholds.
 */
public record Growth(List<SignalFit> signals, List<Attribution> attribution, String explanation) {
    public static final Growth EMPTY = new Growth(List.of(), List.of(), null);

    public Growth {
        signals = signals == null ? List.of() : List.copyOf(signals);
        attribution = attribution == null ? List.of() : List.copyOf(attribution);
    }

    /**
     * The fit of one signal. Numbers are null when the verdict came before they could be computed (too few
     * points).
     *
     * @param seriesId       the series fitted
     * @param unit           its unit (bytes, count)
     * @param input          what was fitted: "values" or "lower envelope" (raw heap used: only the troughs)
     * @param verdict        LEAK, SATURATING, STABLE or INCONCLUSIVE
     * @param slopePerMinute Theil–Sen slope, in the series' unit per minute
     * @param slopeLow       lower end of its 95% confidence interval (Sen's, autocorrelation-corrected)
     * @param slopeHigh      upper end
     * @param minPracticalSlopePerMinute the slope below which growth does not count as a leak for this signal
     * @param pValue         Mann–Kendall p-value (Hamed–Rao corrected, two-sided)
     * @param r2             OLS coefficient of determination on the points used
     * @param samplesUsed    points after the warm-up cut
     * @param warmupEndMs    where the warm-up cut fell (epoch ms); the first sample when nothing was cut
     * @param levelAtEnd     the fitted level at the last sample
     * @param plateau        for SATURATING, the level the saturating curve tends to
     * @param minCaptureSecs for INCONCLUSIVE, the capture length (at the same sampling) that should decide
     * @param timeToLimit    when the limit is reached at this slope; null if not a leak or no limit known
     * @param reason         one sentence on why this verdict (or what capture would be enough)
     */
    public record SignalFit(String seriesId, String unit, String input, Verdict verdict, Double slopePerMinute,
                            Double slopeLow, Double slopeHigh, Double minPracticalSlopePerMinute, Double pValue,
                            Double r2, Integer samplesUsed, Long warmupEndMs, Double levelAtEnd, Double plateau,
                            Double minCaptureSecs, TimeToLimit timeToLimit, String reason) {
    }

    /**
     * @param limitBytes       the limit
     * @param limitSource      which limit (-Xmx, cgroup memory limit, host RAM + swap)
     * @param earliestSecs     from the last sample, at the upper slope bound
     * @param latestSecs       at the lower slope bound (null: the interval does not exclude a zero slope)
     * @param swapAtBytes      for process memory: the level where the host must start swapping (MemTotal),
     *                         null when there is no swap or a cgroup limit comes first
     * @param swapEarliestSecs from the last sample to that level, at the upper slope bound
     * @param swapLatestSecs   at the lower slope bound
     * @param text             for people: "between 3 h 10 m and 4 h 40 m"
     */
    public record TimeToLimit(long limitBytes, String limitSource, Double earliestSecs, Double latestSecs,
                              Long swapAtBytes, Double swapEarliestSecs, Double swapLatestSecs, String text) {
    }

    /**
     * A part's share of a total's growth.
     *
     * @param total          the total's series id
     * @param part           the part's series id, or "unexplained"
     * @param label          for people: a class name, an NMT category, a mapping, a Python stack
     * @param slopePerMinute the part's Theil–Sen slope over the total's fitted window
     * @param share          its share of the total's slope (parts sum to about 1 with the unexplained rest;
     *                       negative for parts that shrank)
     * @param rank           1 for the part that grew most, 0 for "unexplained"
     */
    public record Attribution(String total, String part, String label, double slopePerMinute, double share,
                              int rank) {
    }
}
