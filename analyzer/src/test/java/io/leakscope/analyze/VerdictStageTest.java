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
}
