package io.leakscope.analyze;

import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictStageTest {
    private static Growth.SignalFit fit(String id, Verdict v) {
        return new Growth.SignalFit(id, "bytes", "values", v, null, null, null, null, null, null, 5, null, null, null,
                360.0, null, "only 5 samples");
    }

    private static final Heap.GrowingPath PATH = new Heap.GrowingPath("sig",
            List.of("GC root (JNI global): Loader", "[3] → class com.acme.SessionRegistry", ".SESSIONS → java.util.ArrayList"),
            "java.lang.Object[]", List.of(1L << 20, 2L << 20, 3L << 20), List.of(10L, 20L, 30L), 1 << 20, 2.0 * (1 << 20), 10,
            List.of(new Heap.Accumulated("com.acme.Message", List.of(100L, 200L, 300L), List.of(1L, 2L, 3L))));

    private static FindingsBuilder builder(Verdict heapVerdict, boolean growingPath) {
        FindingsBuilder b = new FindingsBuilder();
        b.growth = new Growth(List.of(fit("jvm.heap.after_gc", heapVerdict), fit("process.rss", Verdict.INCONCLUSIVE)),
                List.of(), "");
        b.headline = "Not enough data to decide: capture at least 6 m.";
        b.heap = new Heap(List.of(), List.of(), growingPath ? List.of(PATH) : List.of(), null);
        return b;
    }

    @Test
    void aPathGrowingInEveryDumpDecidesWhenTheSeriesCannot() {
        FindingsBuilder b = builder(Verdict.INCONCLUSIVE, true);
        new VerdictStage().apply(b);
        assertEquals(Verdict.LEAK, b.verdict);
        assertTrue(b.headline.startsWith("Java heap leak: SessionRegistry.SESSIONS (ArrayList) accumulates Message: +100 per dump"),
                b.headline);
        assertTrue(b.headline.contains("the time series were too short to decide"), b.headline);

        FindingsBuilder none = builder(Verdict.INCONCLUSIVE, false);
        new VerdictStage().apply(none);
        assertEquals(Verdict.INCONCLUSIVE, none.verdict);
        assertTrue(none.headline.startsWith("Not enough data"), none.headline);
    }

    private static Heap.DumpSummary dump(String path, long timestampMs) {
        return new Heap.DumpSummary(path, timestampMs, 10, 100, 10, 100, 0, 0, null, 5, 1, false, null, List.of(),
                List.of(), List.of());
    }

    private static Heap.LeakSuspect suspect(String dump, String cls, long retained) {
        return new Heap.LeakSuspect(dump, "One instance of " + cls + " retains it", cls, null, retained, 0.5, null,
                List.of(), List.of());
    }

    @Test
    void anInconclusiveHeadlineNamesTheNewestDumpsBiggestSuspect() {
        FindingsBuilder one = new FindingsBuilder();
        one.heap = new Heap(List.of(dump("oom.hprof", 1000)), List.of(suspect("oom.hprof", "Small", 10),
                suspect("oom.hprof", "java.util.ArrayList", 160 << 20)), List.of(), null);
        new VerdictStage().apply(one);
        assertEquals(Verdict.INCONCLUSIVE, one.verdict);
        assertEquals("Not enough data to decide: one heap dump cannot show growth (take another later and run"
                + " leakscope diff on both). Biggest suspect: One instance of java.util.ArrayList retains it.", one.headline);

        // dumps read out of order: the newest by time is the one that speaks
        FindingsBuilder two = new FindingsBuilder();
        two.heap = new Heap(List.of(dump("late.hprof", 2000), dump("early.hprof", 1000)),
                List.of(suspect("early.hprof", "Early", 1 << 30), suspect("late.hprof", "Late", 1 << 20)), List.of(), null);
        new VerdictStage().apply(two);
        assertEquals("Not enough data to decide: no retained path grew in every interval between the 2 heap dumps."
                + " Biggest suspect: One instance of Late retains it.", two.headline);

        // a headline the series wrote stays, and the suspect follows it
        FindingsBuilder series = builder(Verdict.INCONCLUSIVE, false);
        series.heap = one.heap;
        new VerdictStage().apply(series);
        assertEquals("Not enough data to decide: capture at least 6 m. Biggest suspect: One instance of"
                + " java.util.ArrayList retains it.", series.headline);

        // no suspect, or a decided verdict: as before
        FindingsBuilder none = new FindingsBuilder();
        none.heap = new Heap(List.of(dump("oom.hprof", 1000)), List.of(), List.of(), null);
        new VerdictStage().apply(none);
        assertEquals("Not enough data to decide.", none.headline);
        FindingsBuilder stable = new FindingsBuilder();
        stable.growth = new Growth(List.of(fit("jvm.heap.after_gc", Verdict.STABLE), fit("process.rss", Verdict.STABLE)),
                List.of(), "");
        stable.heap = one.heap;
        new VerdictStage().apply(stable);
        assertEquals("No significant growth.", stable.headline);
    }
}
