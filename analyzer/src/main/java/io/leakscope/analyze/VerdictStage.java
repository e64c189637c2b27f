package io.leakscope.analyze;

import io.leakscope.findings.Growth;
import io.leakscope.findings.Verdict;
import io.leakscope.growth.GrowthStage;

/**
 * Combines the per-signal verdicts into the process's verdict: the most severe one wins (a leak in any
 * signal is a leak), except that a process whose primary signals (heap after GC, resident memory) are all
 * STABLE is STABLE even when a secondary one (metaspace, threads, swap) could not be decided. With no
 * fitted signal the verdict stays INCONCLUSIVE.
 */
final class VerdictStage implements Stage {
    @Override
    public void apply(FindingsBuilder b) {
        Verdict v = null;
        for (Growth.SignalFit fit : b.growth.signals()) {
            if (fit.verdict() != null && (v == null || fit.verdict().severity() > v.severity())) {
                v = fit.verdict();
            }
        }
        if (v == null) {
            b.verdict = b.heap.growing().isEmpty() ? Verdict.INCONCLUSIVE : Verdict.LEAK;
        } else if (v == Verdict.INCONCLUSIVE && GrowthStage.primaryAllStable(b.growth.signals())) {
            b.verdict = Verdict.STABLE;
        } else {
            b.verdict = v;
        }
        if (b.headline == null) {
            b.headline = switch (b.verdict) {
                case LEAK -> "Memory grows steadily: a leak.";
                case SATURATING -> "Memory grows but levels off.";
                case STABLE -> "No significant growth.";
                case INCONCLUSIVE -> b.series.isEmpty() && b.heap.dumps().isEmpty()
                        ? "Nothing to decide on: the inputs held no time series or heap dumps."
                        : "Not enough data to decide.";
            };
        }
    }
}
