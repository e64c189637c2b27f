package io.leakscope.findings;

import java.util.List;

/**
 * What the heap dumps say: per dump a summary, leak suspects, and across dumps the growing dominator paths.
 * Filled by the heap engine.
 */
public record Heap(List<DumpSummary> dumps, List<LeakSuspect> suspects, List<GrowingPath> growing,
                   SecretScan secrets) {
    public static final Heap EMPTY = new Heap(List.of(), List.of(), List.of(), null);

    public Heap {
        dumps = dumps == null ? List.of() : List.copyOf(dumps);
        suspects = suspects == null ? List.of() : List.copyOf(suspects);
        growing = growing == null ? List.of() : List.copyOf(growing);
    }

    /** One dump: totals, class histogram (top entries), top dominators. */
    public record DumpSummary(String path, Long timestampMs, long objects, long shallowBytes, boolean partial,
                              List<ClassRow> histogram, List<Dominator> topDominators) {
    }

    public record ClassRow(String className, long count, long shallowBytes, long retainedBytes) {
    }

    public record Dominator(String className, long retainedBytes, long shallowBytes, List<String> pathFromRoot) {
    }

    /**
     * An object or class group retaining more than a threshold of the heap.
     *
     * @param accumulationPoint where the retained size stops being concentrated in one child
     * @param pathFromRoot      shortest strong path from a GC root, with field names and array indexes
     */
    public record LeakSuspect(String description, String className, long retainedBytes, double shareOfHeap,
                              String accumulationPoint, List<String> pathFromRoot, List<ClassRow> accumulated) {
    }

    /**
     * A dominator subtree whose retained size and count grow from dump to dump.
     *
     * @param signature     the stable signature the subtree was matched by
     * @param retainedBytes per dump
     * @param objectCount   per dump
     */
    public record GrowingPath(String signature, List<String> pathFromRoot, String accumulationPoint,
                              List<Long> retainedBytes, List<Long> objectCount, double bytesPerDump,
                              Double bytesPerMinute, List<ClassRow> accumulated) {
    }

    /** Counts of values that look like credentials, per retaining dominator; never the values. */
    public record SecretScan(long stringsScanned, long suspected, List<SecretHolder> holders) {
    }

    public record SecretHolder(String retainedBy, String kind, long count, List<String> maskedPrefixes) {
    }
}
