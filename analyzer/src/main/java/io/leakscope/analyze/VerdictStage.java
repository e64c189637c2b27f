package io.leakscope.analyze;

import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Verdict;
import io.leakscope.growth.GrowthStage;
import io.leakscope.heap.GrowingPaths;
import io.leakscope.io.Units;

/**
 * Combines the per-signal verdicts into the process's verdict: the most severe one wins (a leak in any
 * signal is a leak), except that a process whose primary signals (heap after GC, resident memory) are all
 * STABLE is STABLE even when a secondary one (metaspace, threads, swap) could not be decided. With no
 * fitted signal the verdict stays INCONCLUSIVE — and an INCONCLUSIVE one becomes LEAK — when heap dumps show a
 * path growing in every interval between them; that path's holder and accumulated class then end the headline.
 * An INCONCLUSIVE headline names the newest dump's biggest leak suspect, when there is one.
 */
final class VerdictStage implements Stage {
    @Override
    public void apply(FindingsBuilder b) {
        Verdict v = null;
        boolean decidedByDumps = false;
        for (Growth.SignalFit fit : b.growth.signals()) {
            if (fit.verdict() != null && (v == null || fit.verdict().severity() > v.severity())) {
                v = fit.verdict();
            }
        }
        if (v == null) {
            b.verdict = b.heap.growing().isEmpty() ? Verdict.INCONCLUSIVE : Verdict.LEAK;
        } else if (v == Verdict.INCONCLUSIVE && GrowthStage.primaryAllStable(b.growth.signals())) {
            b.verdict = Verdict.STABLE;
        } else if (v == Verdict.INCONCLUSIVE && !b.heap.growing().isEmpty()) {
            // too few GCs or samples for a trend, but a path grew in every interval between dumps: that decides
            b.verdict = Verdict.LEAK;
            b.headline = null;
            decidedByDumps = true;
        } else {
            b.verdict = v;
        }
        if (b.headline == null && b.verdict == Verdict.LEAK && !b.heap.growing().isEmpty()) {
            // decided by the dumps alone (the explanation, from the series, ends a leak's headline with the path)
            b.headline = "Java heap leak: " + GrowingPaths.describe(b.heap.growing().get(0)) + (decidedByDumps
                    ? " (growing in each of the " + b.heap.dumps().size() + " heap dumps; the time series were too short"
                    + " to decide)" : "") + ".";
        }
        Heap.LeakSuspect suspect = b.verdict == Verdict.INCONCLUSIVE ? biggestSuspectOfNewestDump(b.heap) : null;
        if (b.headline == null) {
            b.headline = switch (b.verdict) {
                case LEAK -> "Memory grows steadily: a leak.";
                case SATURATING -> "Memory grows but levels off.";
                case STABLE -> "No significant growth.";
                case INCONCLUSIVE -> b.series.isEmpty() && b.heap.dumps().isEmpty()
                        ? "Nothing to decide on: the inputs held no time series or heap dumps."
                        : suspect == null ? "Not enough data to decide."
                        : b.heap.dumps().size() == 1
                        ? "Not enough data to decide: one heap dump cannot show growth (take another later and run"
                        + " leakscope diff on both)."
                        : "Not enough data to decide: no retained path grew in every interval between the "
                        + b.heap.dumps().size() + " heap dumps" + softCache(b.heap) + ".";
            };
        }
        if (suspect != null) {
            // an OOM dump alone is the commonest input: what holds its heap is the answer it can give
            b.headline += " Biggest suspect: " + suspect.description() + ".";
        }
    }

    /** ", but what only SoftReferences hold did (…: a soft cache …)", or "" ({@link Heap#softCacheGrowth}). */
    private static String softCache(Heap h) {
        long[] grew = h.softCacheGrowth();
        return grew == null ? "" : ", but what only SoftReferences hold did (" + Units.formatBytes(grew[0]) + " → "
                + Units.formatBytes(grew[1]) + ": a soft cache, which the JVM keeps until its heap runs short)";
    }

    /** The suspect retaining the most of the newest dump, or null. */
    static Heap.LeakSuspect biggestSuspectOfNewestDump(Heap heap) {
        Heap.DumpSummary last = heap.newestDump();
        if (last == null) {
            return null;
        }
        String newest = last.path();
        Heap.LeakSuspect best = null;
        for (Heap.LeakSuspect s : heap.suspects()) {
            if (s.dump().equals(newest) && (best == null || s.retainedBytes() > best.retainedBytes())) {
                best = s;
            }
        }
        return best;
    }
}
