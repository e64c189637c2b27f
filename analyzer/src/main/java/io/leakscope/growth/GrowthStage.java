package io.leakscope.growth;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.Stage;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits every total series (not parts, not context), attributes the growth of each growing total to its
 * parts, and explains the combination: heap after GC against RSS against NMT and the rest. Sets
 * {@link FindingsBuilder#growth} and the headline; {@code VerdictStage} then combines the verdicts.
 */
public final class GrowthStage implements Stage {
    /** Raw heap usage: a saw-tooth, fitted only through its lower envelope, and skipped when after-GC data exist. */
    static final List<String> RAW_HEAP = List.of("jvm.heap.used", "jvm.oldgen.used");
    static final String HEAP_AFTER_GC = "jvm.heap.after_gc";
    static final String OLDGEN_AFTER_GC = "jvm.oldgen.after_gc";
    static final String CLASSES_LOADED = "jvm.classes.loaded";
    /** JMC's warm-up rule: the warm-up lasts until 90% of the most classes ever loaded are loaded. */
    static final double CLASSES_SETTLED = 0.9;
    /** Attribution lists at most this many parts per total; the rest are summed as "other parts". */
    static final int MAX_PARTS = 15;

    @Override
    public void apply(FindingsBuilder b) {
        long classesSettledMs = classesSettled(b.series.get(CLASSES_LOADED));
        List<Growth.SignalFit> fits = new ArrayList<>();
        Map<String, SignalFitter.Fit> raw = new LinkedHashMap<>();
        Map<String, Long> startMs = new LinkedHashMap<>();
        long[] fullGcs = Perturbations.fullGcStarts(b.capture);
        for (Series s : b.series.values()) {
            if (!fitted(s, b.series)) {
                continue;
            }
            boolean envelope = RAW_HEAP.contains(s.id());
            double[] t = minutes(s.timeMs(), s.timeMs()[0]);
            double[] y = s.values();
            if (envelope) {
                double[][] e = Envelope.lower(t, y);
                t = e[0];
                y = e[1];
            }
            int shifts = 0;
            if (fullGcs.length > 0 && Perturbations.affected(s.id()) && y.length > 2) {
                // the same cleaning and binning the fitter does, so the pairwise slopes stay bounded
                double[][] clean = SignalFitter.dropNaN(t, y);
                double[][] binned = SignalFitter.binMedians(clean[0], clean[1], SignalFitter.MAX_POINTS);
                t = binned[0];
                y = binned[1];
                double[] breaks = new double[fullGcs.length];
                for (int i = 0; i < breaks.length; i++) {
                    breaks[i] = (fullGcs[i] - s.timeMs()[0]) / 60000.0;
                    shifts += breaks[i] > t[0] && breaks[i] <= t[t.length - 1] ? 1 : 0;
                }
                if (t.length > 2) {
                    y = Perturbations.align(t, y, breaks);
                } else {
                    shifts = 0;
                }
            }
            Long limit = limitFor(s.id(), s.unit(), b.limits);
            double notBefore = classesSettledMs > 0 && s.id().startsWith("jvm.")
                    ? Math.max(0, (classesSettledMs - s.timeMs()[0]) / 60000.0) : 0;
            SignalFitter.Fit f = SignalFitter.fit(t, y, s.unit(), limit == null ? null : limit.doubleValue(), notBefore);
            raw.put(s.id(), f);
            startMs.put(s.id(), s.timeMs()[0]);
            String aligned = shifts == 0 ? "" : "; fitted with the level shifts at the capture's own "
                    + shifts + (shifts == 1 ? " full GC" : " full GCs") + " (histograms, heap dumps) taken out";
            fits.add(toFinding(s, envelope, f, b.limits, limit, aligned));
        }
        if (fits.isEmpty()) {
            return;
        }
        List<Growth.Attribution> attribution = new ArrayList<>();
        for (Map.Entry<String, SignalFitter.Fit> e : raw.entrySet()) {
            SignalFitter.Fit f = e.getValue();
            if (f.verdict() == Verdict.LEAK || f.verdict() == Verdict.SATURATING) {
                long from = startMs.get(e.getKey()) + Math.round(f.cutMinutes() * 60000);
                attribution.addAll(attribute(e.getKey(), f.trend().slope(), from, b.series));
            }
        }
        Explanation ex = Explanation.of(fits, attribution, b.series,
                b.heap.growing().isEmpty() ? null : b.heap.growing().get(0), b.heap.softCacheGrowth());
        b.growth = new Growth(fits, attribution, ex.text());
        b.headline = ex.headline();
    }

    /** Totals with enough data; raw heap only when no after-GC series is there. */
    static boolean fitted(Series s, Map<String, Series> all) {
        if ("context".equals(s.role()) || "part".equals(s.role()) || s.size() == 0) {
            return false;
        }
        if (!"bytes".equals(s.unit()) && !"count".equals(s.unit())) {
            return false;
        }
        if (s.id().equals(CLASSES_LOADED)) {
            return false; // the warm-up marker, not a memory signal
        }
        if (s.id().equals("jvm.heap.used") && all.containsKey(HEAP_AFTER_GC)) {
            return false;
        }
        return !(s.id().equals("jvm.oldgen.used") && all.containsKey(OLDGEN_AFTER_GC));
    }

    static long classesSettled(Series classes) {
        if (classes == null || classes.size() == 0) {
            return 0;
        }
        double max = 0;
        for (double v : classes.values()) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < classes.size(); i++) {
            if (classes.values()[i] >= CLASSES_SETTLED * max) {
                return classes.timeMs()[i];
            }
        }
        return 0;
    }

    /** Heap after GC (or its envelope) and resident memory: the signals a leak verdict is mostly about. */
    public static boolean isPrimary(String id) {
        return id.equals(HEAP_AFTER_GC) || id.equals(OLDGEN_AFTER_GC) || RAW_HEAP.contains(id) || isProcessMemory(id)
                || id.equals("memray.heap");
    }

    /** True when there is at least one primary signal and every primary signal is STABLE. */
    public static boolean primaryAllStable(List<Growth.SignalFit> fits) {
        boolean any = false;
        for (Growth.SignalFit f : fits) {
            if (isPrimary(f.seriesId())) {
                if (f.verdict() != Verdict.STABLE) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    static boolean isHeap(String id) {
        return id.startsWith("jvm.heap.") || id.startsWith("jvm.oldgen.");
    }

    /** Process-level memory: what the kernel charges, so what runs into the cgroup or host limit. */
    static boolean isProcessMemory(String id) {
        return id.equals("process.rss") || id.equals("process.anon") || id.equals("process.pss")
                || id.equals("memray.rss") || id.equals("nmt.total.committed") || id.equals("jvm.rss")
                || id.equals("cgroup.usage");
    }

    static Long limitFor(String id, String unit, Limits limits) {
        if (!"bytes".equals(unit) || limits == null) {
            return null;
        }
        if (isHeap(id)) {
            return limits.maxHeapBytes();
        }
        return isProcessMemory(id) ? limits.effectiveLimitBytes() : null;
    }

    static String limitSource(String id, Limits limits) {
        return isHeap(id) ? "-Xmx (max heap)" : limits.effectiveLimitSource();
    }

    private static Growth.SignalFit toFinding(Series s, boolean envelope, SignalFitter.Fit f, Limits limits, Long limit,
                                              String reasonSuffix) {
        Trend.Result tr = f.trend();
        long t0 = s.timeMs()[0];
        Growth.TimeToLimit ttl = null;
        if (f.verdict() == Verdict.LEAK && limit != null) {
            ttl = timeToLimit(f.levelAtEnd(), tr.slopeLow(), tr.slopeHigh(), limit, limitSource(s.id(), limits),
                    isProcessMemory(s.id()) ? swapPoint(limits) : null);
        }
        return new Growth.SignalFit(s.id(), s.unit(), envelope ? "lower envelope" : "values", f.verdict(),
                tr == null ? null : tr.slope(), tr == null ? null : tr.slopeLow(), tr == null ? null : tr.slopeHigh(),
                Double.isNaN(f.minPractical()) ? null : f.minPractical(), tr == null ? null : tr.pValue(),
                tr == null ? null : tr.r2(), f.samplesUsed(), t0 + Math.round(f.cutMinutes() * 60000),
                tr == null ? null : f.levelAtEnd(), f.plateau(),
                f.minCaptureMinutes() == null ? null : f.minCaptureMinutes() * 60, ttl,
                (envelope ? "raw heap used, fitted through its lower envelope (the troughs after collections): " : "")
                        + f.reason() + reasonSuffix);
    }

    /**
     * The host starts swapping, at the latest, when this process alone fills RAM. Only when there is swap
     * and no cgroup limit below RAM (a cgroup limit is hit first; whether the cgroup swaps is its own setting).
     */
    static Long swapPoint(Limits l) {
        if (l.memTotalBytes() == null || l.swapTotalBytes() == null || l.swapTotalBytes() <= 0) {
            return null;
        }
        if (l.cgroupMaxBytes() != null && l.cgroupMaxBytes() <= l.memTotalBytes()) {
            return null;
        }
        return l.memTotalBytes();
    }

    /** From the fitted current level; the upper slope bound gives the earliest time, the lower the latest. */
    static Growth.TimeToLimit timeToLimit(double level, double slopeLow, double slopeHigh, long limit, String source,
                                          Long swapAt) {
        Double earliest = secondsTo(limit, level, slopeHigh);
        Double latest = secondsTo(limit, level, slopeLow);
        Double swapEarliest = swapAt == null ? null : secondsTo(swapAt, level, slopeHigh);
        Double swapLatest = swapAt == null ? null : secondsTo(swapAt, level, slopeLow);
        String text = earliest == null ? "not reached at this slope"
                : latest == null ? "in " + Units.formatDuration(earliest) + " or later"
                : earliest.equals(latest) ? "in " + Units.formatDuration(earliest)
                : "between " + Units.formatDuration(earliest) + " and " + Units.formatDuration(latest);
        text += " (" + source + ", " + Units.formatBytes(limit) + ")";
        if (swapEarliest != null) {
            text += "; the host starts swapping " + (swapLatest == null
                    ? "in " + Units.formatDuration(swapEarliest) + " or later"
                    : "between " + Units.formatDuration(swapEarliest) + " and " + Units.formatDuration(swapLatest))
                    + " at the latest";
        }
        return new Growth.TimeToLimit(limit, source, earliest, latest, swapAt, swapEarliest, swapLatest, text);
    }

    private static Double secondsTo(double target, double level, double slopePerMinute) {
        if (level >= target) {
            return 0.0;
        }
        if (!(slopePerMinute > 0)) {
            return null;
        }
        return (target - level) / slopePerMinute * 60;
    }

    /**
     * Each part's Theil–Sen slope over the total's fitted window, as a share of the total's slope. Parts
     * sampled at other times (class histograms every few minutes) still compare: slopes are per minute.
     */
    static List<Growth.Attribution> attribute(String totalId, double totalSlope, long fromMs, Map<String, Series> all) {
        List<Growth.Attribution> parts = new ArrayList<>();
        if (!(totalSlope > 0)) {
            return parts;
        }
        double explained = 0;
        for (Series p : all.values()) {
            if (!"part".equals(p.role()) || !totalId.equals(p.parent())) {
                continue;
            }
            int from = 0;
            while (from < p.size() && p.timeMs()[from] < fromMs) {
                from++;
            }
            if (p.size() - from < 3 && p.size() >= 3) {
                from = p.size() - 3; // few samples (histograms): use the last three rather than none
            }
            if (p.size() - from < 2) {
                continue;
            }
            double[] t = minutes(Arrays.copyOfRange(p.timeMs(), from, p.size()), p.timeMs()[from]);
            double[] y = Arrays.copyOfRange(p.values(), from, p.size());
            double[][] c = SignalFitter.dropNaN(t, y);
            if (c[1].length < 2) {
                continue;
            }
            double[][] bin = SignalFitter.binMedians(c[0], c[1], SignalFitter.MAX_POINTS);
            double slope = Trend.median(Trend.pairwiseSlopes(bin[0], bin[1]));
            explained += slope;
            parts.add(new Growth.Attribution(totalId, p.id(), p.label() == null ? p.id() : p.label(), slope,
                    slope / totalSlope, 0));
        }
        if (parts.isEmpty()) {
            return parts;
        }
        parts.sort(Comparator.comparingDouble(Growth.Attribution::slopePerMinute).reversed());
        List<Growth.Attribution> out = new ArrayList<>();
        double other = 0;
        for (int i = 0; i < parts.size(); i++) {
            Growth.Attribution a = parts.get(i);
            if (i < MAX_PARTS) {
                out.add(new Growth.Attribution(a.total(), a.part(), a.label(), a.slopePerMinute(), a.share(), i + 1));
            } else {
                other += a.slopePerMinute();
            }
        }
        if (parts.size() > MAX_PARTS) {
            out.add(new Growth.Attribution(totalId, "other", (parts.size() - MAX_PARTS) + " other parts", other,
                    other / totalSlope, MAX_PARTS + 1));
        }
        double rest = totalSlope - explained;
        out.add(new Growth.Attribution(totalId, "unexplained", "unexplained", rest, rest / totalSlope, 0));
        return out;
    }

    static double[] minutes(long[] ms, long t0) {
        double[] t = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            t[i] = (ms[i] - t0) / 60000.0;
        }
        return t;
    }
}
