package io.leakscope.analyze;

import io.leakscope.findings.Capture;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Input;
import io.leakscope.findings.Limits;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Note;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.findings.Target;
import io.leakscope.findings.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analysis stages add to while they run; {@link #build} makes the immutable {@link Findings}.
 * Stages own their sections: readers add series and notes, the heap engine sets {@link #heap}, the growth
 * stage sets {@link #growth} and the verdict.
 */
public final class FindingsBuilder {
    public final List<Input> inputs = new ArrayList<>();
    public final Map<String, Series> series = new LinkedHashMap<>();
    public final List<Note> notes = new ArrayList<>();
    public final List<Recommendation> recommendations = new ArrayList<>();
    public Target target;
    public Limits limits = Limits.UNKNOWN;
    public Growth growth = Growth.EMPTY;
    public Heap heap = Heap.EMPTY;
    public NativeMemory nativeMemory = NativeMemory.EMPTY;
    public Verdict verdict = Verdict.INCONCLUSIVE;
    public String headline;
    /** From the first bundle read; null for loose files. */
    public Capture capture;
    /** Long VM operations in the target's JFR recordings: what stopped it when, to time the capture's stops. */
    public final List<VmOperation> vmOperations = new ArrayList<>();

    /** A VM operation (jdk.ExecuteVMOperation): its name (HeapDumper, GC_HeapInspection, ...), start and time. */
    public record VmOperation(String name, long startMs, long durationMs) {
    }

    /** Adds a series; a later one with the same id replaces the earlier. */
    public FindingsBuilder add(Series s) {
        series.put(s.id(), s);
        return this;
    }

    public FindingsBuilder note(Note n) {
        notes.add(n);
        return this;
    }

    public Findings build(String generator) {
        return new Findings(Findings.SCHEMA, Findings.SCHEMA_VERSION, Instant.now().toString(), generator, verdict,
                headline, inputs, target, limits, new ArrayList<>(series.values()), growth, heap, nativeMemory,
                recommendations, notes, capture);
    }
}
