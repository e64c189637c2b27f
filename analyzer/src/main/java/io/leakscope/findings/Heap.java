package io.leakscope.findings;

import java.util.List;

/**
 * What the heap dumps say: per dump a summary, leak suspects, and across dumps the growing dominator paths.
 * Filled by the heap engine (io.leakscope.heap). Sizes are bytes as HotSpot lays objects out; "retained" is
 * exact (from the dominator tree over strong references).
 */
public record Heap(List<DumpSummary> dumps, List<LeakSuspect> suspects, List<GrowingPath> growing,
                   SecretScan secrets) {
    public static final Heap EMPTY = new Heap(List.of(), List.of(), List.of(), null);

    public Heap {
        dumps = dumps == null ? List.of() : List.copyOf(dumps);
        suspects = suspects == null ? List.of() : List.copyOf(suspects);
        growing = growing == null ? List.of() : List.copyOf(growing);
    }

    /** The newest dump by its time (a dump without one counts as read last); null without dumps. */
    public DumpSummary newestDump() {
        DumpSummary newest = null;
        for (DumpSummary d : dumps) {
            if (newest == null || d.timestampMs() == null || newest.timestampMs() == null
                    || d.timestampMs() >= newest.timestampMs()) {
                newest = d;
            }
        }
        return newest;
    }

    /**
     * What only SoftReferences hold, in the first and the newest dump, when it grew in every interval between
     * two or more dumps by 1 MiB or more in all, to a tenth of what the newest dump holds: a soft cache, which the
     * JVM keeps until its heap runs short and no growing path shows (the diff is over strong references). Else
     * null.
     */
    public long[] softCacheGrowth() {
        List<DumpSummary> byTime = new java.util.ArrayList<>(dumps);
        if (byTime.size() < 2 || byTime.stream().anyMatch(d -> d.timestampMs() == null)) {
            return null;
        }
        byTime.sort(java.util.Comparator.comparing(DumpSummary::timestampMs));
        for (int i = 1; i < byTime.size(); i++) {
            if (byTime.get(i).softlyHeldBytes() <= byTime.get(i - 1).softlyHeldBytes()) {
                return null;
            }
        }
        long first = byTime.get(0).softlyHeldBytes();
        DumpSummary last = byTime.get(byTime.size() - 1);
        long soft = last.softlyHeldBytes();
        return soft - first < (1 << 20) || soft * 10 < soft + last.reachableBytes() ? null : new long[] {first, soft};
    }

    /**
     * One dump: totals, class histogram (top entries by retained size), top dominators.
     *
     * @param timestampMs    when the dump was written (HPROF header or the bundle artifact's createdAt)
     * @param objects        objects in the dump; {@code reachableObjects} of them strongly reachable from GC roots
     * @param reachableBytes what the GC roots retain (the virtual root's retained size)
     * @param partial        the dump could only be read up to {@code partialReason}
     */
    /**
     * @param softlyHeldBytes what no GC root reaches but only SoftReferences hold (not in the reachable bytes): the
     *                        JVM keeps it until its heap runs short
     * @param weaklyHeldBytes what only WeakReferences hold (gone at the next GC)
     * @param softlyHeldPath  the path from a GC root to the SoftReference that alone holds the most objects: where
     *                        a soft cache is (null: none)
     */
    public record DumpSummary(String path, Long timestampMs, long objects, long shallowBytes, long reachableObjects,
                              long reachableBytes, long softlyHeldBytes, long weaklyHeldBytes,
                              List<String> softlyHeldPath, long references,
                              long gcRoots, boolean partial,
                              String partialReason, List<String> warnings, List<ClassRow> histogram,
                              List<Dominator> topDominators) {
    }

    /** @param retainedBytes what all instances of the class retain together (not double-counting nested ones) */
    public record ClassRow(String className, long count, long shallowBytes, long retainedBytes) {
    }

    public record Dominator(String className, long retainedBytes, long retainedObjects, long shallowBytes,
                            List<String> pathFromRoot) {
    }

    /**
     * An object or class group retaining more than a threshold of the heap (MAT's leak suspects).
     *
     * @param dump              the dump it was found in
     * @param heldBy            for a single object, what holds it on its shortest path from a GC root ("held by
     *                          the static field a.B.CACHE", "held by a local variable of a.B.run(B.java:12)");
     *                          null for a group (since schema 1.1)
     * @param accumulationPoint where the retained size stops being concentrated in one child
     * @param pathFromRoot      shortest strong path from a GC root to the accumulation point, with field names
     *                          and array indexes
     * @param accumulated       the objects the accumulation point holds, by class
     */
    public record LeakSuspect(String dump, String description, String className, String heldBy, long retainedBytes,
                              double shareOfHeap, String accumulationPoint, List<String> pathFromRoot,
                              List<ClassRow> accumulated) {
    }

    /**
     * A dominator subtree whose retained size and object count grow in every interval between dumps.
     *
     * @param signature     the stable signature the subtree was matched by (classes and fields from the root)
     * @param pathFromRoot  shortest strong path from a GC root to the accumulation point, in the last dump
     * @param retainedBytes per dump, in time order
     * @param objectCount   per dump (objects retained)
     * @param accumulated   the classes accumulated under the accumulation point, with count and bytes per dump
     */
    public record GrowingPath(String signature, List<String> pathFromRoot, String accumulationPoint,
                              List<Long> retainedBytes, List<Long> objectCount, double bytesPerDump,
                              Double bytesPerMinute, double objectsPerDump, List<Accumulated> accumulated) {
    }

    /** @param count and {@code bytes} (retained) per dump; 0 where the class was absent */
    public record Accumulated(String className, List<Long> count, List<Long> bytes) {
    }

    /** Counts of values that look like credentials, per retaining dominator; never the values unless asked. */
    public record SecretScan(long arraysScanned, long suspected, boolean valuesShown, List<SecretHolder> holders) {
    }

    /**
     * @param dump           the dump
     * @param retainedBy     the dominator that holds the values (path of its last steps)
     * @param maskedPrefixes a few distinct masked prefixes ("sk-p…")
     * @param values         the values themselves, only with --show-values
     */
    public record SecretHolder(String dump, String retainedBy, String kind, long count, List<String> maskedPrefixes,
                               List<String> values) {
    }
}
