package io.leakscope.analyze;

import io.leakscope.findings.Capture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** How long each heap dump and class histogram stopped the target, from the VM operations its recording has. */
class CaptureStopsTest {
    private static final long T = Instant.parse("2026-11-30T23:00:00Z").toEpochMilli();

    private static Capture.Event event(String kind, long endMs, long durationMs) {
        return new Capture.Event(Instant.ofEpochMilli(endMs).toString(), kind, durationMs, kind);
    }

    @Test
    void eachStopIsTheLongestOperationOfItsKindWithinItsCall() {
        Capture c = new Capture("s", "e", "completed", Map.of(), List.of(
                event("attach", T, 300),
                event("histogram", T + 1_000, 400),        // its inspection started at T + 620
                event("heap-dump", T + 10_000, 3_000),     // the dump stopped the target 1,450 ms from T + 8,000
                event("histogram", T + 20_000, 350),       // no operation recorded for it
                new Capture.Event(null, "heap-dump", 100L, "no time")));
        List<FindingsBuilder.VmOperation> ops = List.of(
                new FindingsBuilder.VmOperation("GC_HeapInspection", T + 620, 380),
                new FindingsBuilder.VmOperation("G1CollectForAllocation", T + 8_100, 2_000), // another kind
                new FindingsBuilder.VmOperation("HeapDumper", T + 8_000, 1_450),
                new FindingsBuilder.VmOperation("HeapDumper", T + 2_000, 900),    // before this call began
                new FindingsBuilder.VmOperation("GC_HeapInspection", T + 15_000, 50)); // a JFR ObjectCount's, not ours
        List<Capture.Event> out = Analyzer.withStops(c, ops).events();
        assertNull(out.get(0).stoppedMs());
        assertEquals(380L, out.get(1).stoppedMs());
        assertEquals(1_450L, out.get(2).stoppedMs());
        assertNull(out.get(3).stoppedMs());
        assertNull(out.get(4).stoppedMs());
        assertEquals(3_000L, out.get(2).durationMs()); // the call's time stays
        assertSame(c, Analyzer.withStops(c, List.of()));
    }
}
