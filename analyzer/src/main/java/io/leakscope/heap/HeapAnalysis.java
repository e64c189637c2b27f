package io.leakscope.heap;

import io.leakscope.findings.Heap;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything computed from one dump: exact dominator tree and retained sizes, shortest strong paths from GC
 * roots, the class histogram, top dominators, MAT-style leak suspects, the secret scan, and the signature
 * table the diff matches dumps by. All per-object data are primitive arrays; objects become strings only
 * when they are reported.
 */
public final class HeapAnalysis {
    /** MAT's leak-suspect threshold: a share of the reachable heap. */
    static final double SUSPECT_SHARE = 0.10;
    /** MAT's "big drop": below this share of its dominator, a child no longer carries the accumulation. */
    static final double BIG_DROP = 0.7;

    final HeapGraph g;
    final Dominators d;
    /**
     * By preorder number (see {@link Dominators}): bytes retained ({@link #retained}), in units of 8 bytes as an
     * unsigned int when every shallow size is a multiple of 8 and the heap under 32 GiB, which HotSpot's 8-byte
     * object alignment makes the rule (4 bytes an object instead of 8, at the analysis's peak); else in bytes.
     * One of the two is null.
     */
    final IntArray retainedUnits;
    final LongArray retainedBytes;
    final IntArray retainedCount;
    final IntArray childStart;
    final IntArray children;
    /** By object: the object BFS reached it from (-1 for a GC root, -2 unreachable), and through which of
     *  that object's slots (see {@link HeapGraph#refSlot}): the shortest paths, without the reference arrays. */
    IntArray bfsParent;
    IntArray bfsSlot;
    byte[] rootKindOf;
    /**
     * Where {@link #bfsParent}, {@link #bfsSlot} and {@link #rootKindOf} are read from once they are let go of
     * (null: they stay in memory): only paths read them after the signatures, a few hundred elements.
     */
    private ParkedArrays paths;
    final SigTable sigs;
    /** Preorder number of each credential-shaped hit's object (-1 unreachable), parallel to the hits. */
    private final int[] hitPreorder;
    /** Objects only References hold, by how strongly (HeapGraph.SOFT to PHANTOM): see heldOnlyThroughReferences. */
    private final int[][] heldThroughReferences;
    /**
     * The SoftReferences a GC root reaches that hold something alone, and where what each holds ends in
     * heldThroughReferences[SOFT] (it starts where the previous one's ends): where a soft cache is.
     */
    private int[] softSeedRefs = new int[0];
    private int[] softSeedEnds = new int[0];
    private int softSeeds;

    private HeapAnalysis(HeapGraph g, boolean releaseReferences, HprofReader.Progress progress) {
        this.g = g;
        int n = g.objectCount;
        // roots: first kind seen for each object
        rootKindOf = firstRootKinds(n, g.rootObjects, g.rootKinds);
        // the order keeps the peak low: paths first, while every reference is at hand, with the tables the BFS
        // does not read parked; then the dominator pass (dominatorsWithPathsParked); then retained sizes,
        // signatures and, last, the tree. Parked tables sit in an owner-only temp file (see ParkedArrays)
        long t0 = System.nanoTime();
        progress.analysing(1, 5, "shortest paths from the GC roots");
        ParkedArrays graph = ParkedArrays.park(ParkedArrays.defaultDirectory(), g.kind, g.classOf, g.shallow);
        if (graph != null) {
            g.kind = null;
            g.classOf = null;
            g.shallow = null;
            // collected before the BFS's tables take their place: a JVM may grow its heap rather than collect
            // when an allocation does not fit (JDK 25's serial collector does), and the peak grows by them
            g.space.reclaimHeap(9L * n);
        }
        bfsParent = g.space.ints(n);
        bfsSlot = g.space.ints(n);
        bfs();
        heldThroughReferences = heldOnlyThroughReferences();
        if (releaseReferences) {
            g.space.release(g.refSlot);
            g.refSlot = null; // paths need only bfsParent and bfsSlot from here on
        }
        // the BFS queue and, releasing, the slots: 4 bytes an object and 4 a reference
        g.space.reclaimHeap(4L * n + (releaseReferences ? 4L * g.referenceCount() : 0));
        long t1 = System.nanoTime();
        progress.analysing(2, 5, "dominator tree");
        d = dominatorsWithPathsParked(releaseReferences);
        d.dropPreorder(); // kept only when the graph is (then 4 bytes an object): lookups by object scan `vertex`
        hitPreorder = preordersOf(g.secretHits.objects());
        // what the signatures need of the paths, by preorder number: the slot through which the dominator
        // holds the object, when BFS reached it that way, else -1 (4 bytes a node instead of the paths' 9)
        int cnt = d.count;
        IntArray heldSlot = g.space.ints(cnt);
        heldSlots(d, bfsParent, bfsSlot, heldSlot);
        if (paths != null) {
            // still in the file: paths read their few elements from there
            bfsParent = heapArrayOf(bfsParent) != null ? null : bfsParent;
            bfsSlot = heapArrayOf(bfsSlot) != null ? null : bfsSlot;
            rootKindOf = null;
            g.space.reclaimHeap(9L * n);
        }
        if (graph != null) {
            Object[] back = graph.restore();
            g.kind = (byte[]) back[0];
            g.classOf = (int[]) back[1];
            g.shallow = (int[]) back[2];
        }
        long t2 = System.nanoTime();
        progress.analysing(3, 5, "retained sizes");
        if (inEightByteUnits(g.shallow)) {
            // every sum below is at most the shallow total / 8 < 2^32: unsigned ints do not overflow
            retainedUnits = g.space.ints(cnt);
            retainedBytes = null;
            shallowUnits(d, g.shallow, retainedUnits);
            sumUp(d, retainedUnits);
        } else {
            retainedUnits = null;
            retainedBytes = g.space.longs(cnt);
            shallowBytes(d, g.shallow, retainedBytes);
            sumUp(d, retainedBytes);
        }
        retainedCount = g.space.ints(cnt);
        retainedCount.fill(1);
        retainedCount.set(0, 0);
        sumUp(d, retainedCount);
        long t3 = System.nanoTime();
        progress.analysing(4, 5, "signatures");
        sigs = new SigTable(this, heldSlot);
        g.space.release(heldSlot);
        heldSlot = null;
        // the signatures' working tables, before the tree's 8 bytes an object
        g.space.reclaimHeap(8L * cnt);
        long t4 = System.nanoTime();
        progress.analysing(5, 5, "children in the dominator tree");
        childStart = g.space.ints(cnt + 1);
        childCounts(d, childStart);
        childStart.countsToStarts(cnt);
        children = g.space.ints(Math.max(0, cnt - 1));
        // childStart[q] serves as q's fill cursor, which leaves it at q's end: shifted back afterwards
        fillChildren(d, childStart, children);
        childStart.copyWithin(0, 1, cnt);
        childStart.set(0, 0);
        if (HprofReader.TIMING) {
            System.err.printf("analysis: wall bfs %.2fs, dominators %.2fs, retained %.2fs, signatures %.2fs, tree %.2fs;"
                            + " main-thread CPU so far %.2fs%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                    (t4 - t3) / 1e9, (System.nanoTime() - t4) / 1e9, HprofReader.cpuSeconds());
        }
    }

    // The constructor's loops, one to a method: the JIT compiles each once, instead of compiling the whole
    // constructor again, on-stack, at each loop's exit (seven times per dump)

    /** The first root kind given for each object (0: not a root). */
    private static byte[] firstRootKinds(int n, int[] rootObjects, byte[] rootKinds) {
        byte[] out = new byte[n];
        for (int i = 0; i < rootObjects.length; i++) {
            if (out[rootObjects[i]] == 0) {
                out[rootObjects[i]] = rootKinds[i];
            }
        }
        return out;
    }

    /**
     * By preorder number: the slot through which the dominator holds the object when BFS reached it that way,
     * else -1.
     */
    private static void heldSlots(Dominators d, IntArray bfsParent, IntArray bfsSlot, IntArray heldSlot) {
        heldSlot.set(0, -1);
        for (int p = 1; p < d.count; p++) {
            int v = d.vertex.get(p);
            int dp = d.idom.get(p);
            heldSlot.set(p, dp != 0 && bfsParent.get(v) == d.vertex.get(dp) ? bfsSlot.get(v) : -1);
        }
    }

    /** Whether every shallow size is a multiple of 8 and their total, in 8-byte units, fits in an unsigned int. */
    private static boolean inEightByteUnits(int[] shallow) {
        long total = 0;
        int lowBits = 0;
        for (int s : shallow) {
            total += s;
            lowBits |= s;
        }
        return (lowBits & 7) == 0 && total >>> 3 <= 0xFFFF_FFFFL;
    }

    private static void shallowUnits(Dominators d, int[] shallow, IntArray out) {
        for (int p = 1; p < d.count; p++) {
            out.set(p, shallow[d.vertex.get(p)] >>> 3);
        }
    }

    private static void shallowBytes(Dominators d, int[] shallow, LongArray out) {
        for (int p = 1; p < d.count; p++) {
            out.set(p, shallow[d.vertex.get(p)]);
        }
    }

    /** Adds each node's value into its dominator's, children first: every node then holds its subtree's sum. */
    private static void sumUp(Dominators d, IntArray values) {
        for (int p = d.count - 1; p >= 1; p--) {
            values.getAndAdd(d.idom.get(p), values.get(p));
        }
    }

    private static void sumUp(Dominators d, LongArray values) {
        for (int p = d.count - 1; p >= 1; p--) {
            values.add(d.idom.get(p), values.get(p));
        }
    }

    private static void childCounts(Dominators d, IntArray childStart) {
        for (int p = 1; p < d.count; p++) {
            childStart.getAndAdd(d.idom.get(p) + 1, 1);
        }
    }

    private static void fillChildren(Dominators d, IntArray childStart, IntArray children) {
        for (int p = 1; p < d.count; p++) {
            children.set(childStart.getAndAdd(d.idom.get(p), 1), p);
        }
    }

    /**
     * The dominator pass, the engine's memory peak, with the paths (BFS parents and slots, root kinds) and, when
     * the graph is kept, the reference slots parked in a temp file meanwhile; and, when releasing, the
     * references let go of once it has its predecessor lists. The paths come back afterwards, their file kept
     * in {@link #paths}.
     */
    private Dominators dominatorsWithPathsParked(boolean releaseReferences) {
        // mapped tables are in files already: only heap arrays are written out (and let go of)
        ParkedArrays parked = ParkedArrays.park(ParkedArrays.defaultDirectory(), heapArrayOf(g.refSlot),
                heapArrayOf(bfsParent), heapArrayOf(bfsSlot), rootKindOf);
        if (parked != null) {
            rootKindOf = null;
            if (heapArrayOf(g.refSlot) != null) {
                g.refSlot = null;
            }
            if (heapArrayOf(bfsParent) != null) {
                bfsParent = null;
                bfsSlot = null;
            }
        }
        if (parked != null && g.space.isMapped()) {
            // the heap is short (that is why the tables are mapped) and now holds almost nothing: one full
            // collection lets the JVM give back the heap pass 1 and pass 2 grew, before the pass that is the
            // peak of mapped pages
            System.gc();
        } else if (parked != null) {
            g.space.reclaimHeap(9L * g.objectCount); // the paths, parked, before the pass's tables come
        }
        try {
            return Dominators.compute(g.objectCount, g.refStart, g.refs, g.rootObjects,
                    releaseReferences ? g::releaseReferences : null, g.space);
        } finally {
            // the pass's own tables (20 bytes an object and 4 a reference) go before the parked ones come back
            g.space.reclaimHeap(20L * g.objectCount);
            if (parked != null) {
                Object[] back = parked.readBack();
                if (back[0] != null) {
                    g.refSlot = IntArray.of((int[]) back[0]);
                }
                if (back[1] != null) {
                    bfsParent = IntArray.of((int[]) back[1]);
                    bfsSlot = IntArray.of((int[]) back[2]);
                }
                rootKindOf = (byte[]) back[3];
                paths = parked;
            }
        }
    }

    /** The preorder numbers of {@code objects} (-1 unreachable), by one scan over the preorder's vertices. */
    private int[] preordersOf(int[] objects) {
        int[] out = new int[objects.length];
        Arrays.fill(out, -1);
        if (objects.length == 0) {
            return out;
        }
        LongIntMap at = new LongIntMap(objects.length * 2);
        for (int i = 0; i < objects.length; i++) {
            if (at.get(objects[i]) < 0) {
                at.put(objects[i], i);
            }
        }
        int[] found = new int[objects.length];
        Arrays.fill(found, -1);
        for (int p = 1; p < d.count; p++) {
            int i = at.get(d.vertex.get(p));
            if (i >= 0) {
                found[i] = p;
            }
        }
        for (int i = 0; i < objects.length; i++) {
            out[i] = found[at.get(objects[i])]; // an object listed twice: each entry gets its number
        }
        return out;
    }

    /** BFS parent of {@code v} (-1 a GC root, -2 unreachable), from memory or from the parked file. */
    int bfsParentOf(int v) {
        return bfsParent != null ? bfsParent.get(v) : paths.intAt(1, v);
    }

    private int bfsSlotOf(int v) {
        return bfsSlot != null ? bfsSlot.get(v) : paths.intAt(2, v);
    }

    private byte rootKindOf(int v) {
        return rootKindOf != null ? rootKindOf[v] : paths.byteAt(3, v);
    }

    private static int[] heapArrayOf(IntArray a) {
        return a == null ? null : a.heapArray();
    }

    public static HeapAnalysis of(HeapGraph g) {
        return new HeapAnalysis(g, false, HprofReader.Progress.NONE);
    }

    /**
     * The analysis, letting go of the graph's reference arrays once the dominators and paths are computed (8
     * bytes a reference and 4 an object off the memory peak); the graph cannot be analysed again.
     */
    public static HeapAnalysis releasingReferences(HeapGraph g) {
        return releasingReferences(g, HprofReader.Progress.NONE);
    }

    /** The same, telling {@code progress} each step it starts. */
    public static HeapAnalysis releasingReferences(HeapGraph g, HprofReader.Progress progress) {
        return new HeapAnalysis(g, true, progress);
    }

    /**
     * What no GC root reaches but a Reference whose referent it is, or what such a referent reaches: by the
     * strongest such path (a soft one beats a weak one), the objects' indexes for HeapGraph.SOFT to PHANTOM (index
     * 0 unused). Not part of the analysis, as the references that alone hold them do not keep them; said in the
     * unreachable part's note (a soft cache the JVM keeps until its heap runs short is a reason a heap grows). A
     * walk over those objects alone, while the references are at hand, after the strong one.
     */
    private int[][] heldOnlyThroughReferences() {
        int[] t = g.referents;
        int[][] out = new int[HeapGraph.PHANTOM + 1][];
        java.util.Arrays.fill(out, new int[0]);
        if (t.length == 0) {
            return out;
        }
        // the references no GC root reaches: found in a walk, each holds its referent at once, or in a later
        // round if weaker (a chain of references takes one walk, not one round each)
        LongIntMap unreachableRef = new LongIntMap(16);
        for (int i = 0; i + 2 < t.length; i += 3) {
            if (bfsParent.get(t[i]) == -2) {
                unreachableRef.put(t[i], i);
            }
        }
        long[] seen = new long[(g.objectCount + 63) >>> 6];
        for (int s = HeapGraph.SOFT; s <= HeapGraph.PHANTOM; s++) {
            Walk walk = new Walk(seen);
            for (int i = 0; i + 2 < t.length; i += 3) {
                int ref = t[i];
                if (t[i + 2] > s || (bfsParent.get(ref) == -2 && !walk.seen(ref))) {
                    continue;
                }
                int head = walk.count;
                int from = head;
                walk.visit(t[i + 1]);
                while (head < walk.count) {
                    int v = walk.held[head++];
                    int at = unreachableRef.get(v);
                    if (at >= 0 && t[at + 2] <= s) {
                        walk.visit(t[at + 1]);
                    }
                    for (int e = g.refStart.get(v), end = g.refStart.get(v + 1); e < end; e++) {
                        walk.visit(g.refs.get(e));
                    }
                }
                if (s == HeapGraph.SOFT && walk.count > from && bfsParent.get(ref) != -2) {
                    // what each soft reference a root reaches holds alone: held[from, count)
                    if (softSeeds == 0 || softSeedRefs.length == softSeeds) {
                        softSeedRefs = java.util.Arrays.copyOf(softSeedRefs, Math.max(16, softSeeds * 2));
                        softSeedEnds = java.util.Arrays.copyOf(softSeedEnds, softSeedRefs.length);
                    }
                    softSeedRefs[softSeeds] = ref;
                    softSeedEnds[softSeeds++] = walk.count;
                }
            }
            out[s] = java.util.Arrays.copyOf(walk.held, walk.count);
        }
        return out;
    }

    /**
     * Where the most of what only soft references hold is: the soft references a root reaches, grouped by their
     * paths from the GC roots with array indexes collapsed (a cache's entries share one), bytes summed; one path
     * of the biggest group (of the 10,000 references that hold the most), or null when none holds anything.
     */
    List<String> softCachePath() {
        if (softSeeds == 0) {
            return null;
        }
        long[] bytes = new long[softSeeds];
        int[] held = heldThroughReferences[HeapGraph.SOFT];
        for (int i = 0, from = 0; i < softSeeds; from = softSeedEnds[i++]) {
            for (int k = from; k < softSeedEnds[i]; k++) {
                bytes[i] += g.shallow[held[k]];
            }
        }
        Integer[] order = new Integer[softSeeds];
        for (int i = 0; i < softSeeds; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(bytes[b], bytes[a]));
        Map<String, long[]> groups = new HashMap<>(); // signature -> {bytes, the first seed}
        for (int k = 0; k < Math.min(order.length, 10_000); k++) {
            int i = order[k];
            groups.computeIfAbsent(tailSignature(softSeedRefs[i]), x -> new long[] {0, i})[0] += bytes[i];
        }
        long[] top = groups.values().stream().max(Comparator.comparingLong(x -> x[0])).orElseThrow();
        return pathTo(softSeedRefs[(int) top[1]]);
    }

    /**
     * The last dozen steps of {@code v}'s path from a GC root, array indexes collapsed: what a cache's entries
     * share (a few reads of the parked paths a step, not a whole path's).
     */
    private String tailSignature(int v) {
        StringBuilder sb = new StringBuilder(g.className(v));
        for (int step = 0, p = bfsParentOf(v); step < 12 && p >= 0; step++, v = p, p = bfsParentOf(v)) {
            String slot = g.slotName(p, bfsSlotOf(v));
            sb.insert(0, g.className(p) + (slot.startsWith("[") ? "[*]" : slot) + " → ");
        }
        return sb.toString();
    }

    /** The bytes only references of that strength (HeapGraph.SOFT to PHANTOM) hold. */
    long heldOnlyThrough(int strength) {
        long b = 0;
        for (int o : heldThroughReferences[strength]) {
            b += g.shallow[o];
        }
        return b;
    }

    /** The objects a walk over what no GC root reaches found, in order; {@code seen} is shared by the walks. */
    private final class Walk {
        final long[] seen;
        int[] held = new int[16];
        int count;

        Walk(long[] seen) {
            this.seen = seen;
        }

        boolean seen(int x) {
            return (seen[x >>> 6] & 1L << x) != 0;
        }

        void visit(int x) {
            if (bfsParent.get(x) != -2 || seen(x)) {
                return;
            }
            seen[x >>> 6] |= 1L << x;
            if (count == held.length) {
                held = java.util.Arrays.copyOf(held, count * 2);
            }
            held[count++] = x;
        }
    }

    /**
     * Breadth-first from the GC roots, long-lived roots (classes, JNI globals, threads, monitors) first and
     * stack roots (Java frames, JNI locals, native stacks) only for what the former do not reach: a leak is
     * what outlives the frames, so its path should name the static or thread that keeps it.
     */
    private void bfs() {
        int n = g.objectCount;
        bfsParent.fill(-2);
        IntArray queue = g.space.ints(n);
        int tail = 0;
        int head = 0;
        for (int phase = 0; phase < 2; phase++) {
            for (int i = 0; i < g.rootObjects.length; i++) {
                int r = g.rootObjects[i];
                if (bfsParent.get(r) == -2 && isStackRoot(g.rootKinds[i]) == (phase == 1)) {
                    bfsParent.set(r, -1);
                    rootKindOf[r] = g.rootKinds[i];
                    queue.set(tail++, r);
                }
            }
            while (head < tail) {
                int v = queue.get(head++);
                for (int e = g.refStart.get(v), end = g.refStart.get(v + 1); e < end; e++) {
                    int w = g.refs.get(e);
                    if (bfsParent.get(w) == -2) {
                        bfsParent.set(w, v);
                        bfsSlot.set(w, g.refSlot.get(e));
                        queue.set(tail++, w);
                    }
                }
            }
        }
        g.space.release(queue);
    }

    /**
     * Gives this analysis's mapped tables back to the space, for the next dump of a diff; the analysis is not
     * to be used again (what it found was taken already).
     */
    void release() {
        ArraySpace space = g.space;
        space.release(retainedUnits);
        space.release(retainedBytes);
        space.release(retainedCount);
        space.release(childStart);
        space.release(children);
        space.release(bfsParent);
        space.release(bfsSlot);
        if (paths != null) {
            paths.close();
        }
        space.release(d.vertex);
        space.release(d.idom);
    }

    /** Whether BFS reached {@code v} through a reference of {@code from}. */
    boolean reachedFrom(int v, int from) {
        return bfsParentOf(v) == from;
    }

    private static boolean isStackRoot(byte kind) {
        return kind == 0x02 || kind == 0x03 || kind == 0x04 || kind == 0x06;
    }

    /** Bytes retained by preorder number {@code p}. */
    long retained(int p) {
        return retainedUnits != null ? (retainedUnits.get(p) & 0xFFFF_FFFFL) << 3 : retainedBytes.get(p);
    }

    public long reachableBytes() {
        return retained(0);
    }

    public long reachableObjects() {
        return retainedCount.get(0);
    }

    /**
     * What the dump holds that no GC root reaches, when it is a tenth of the dump's bytes or more: one line with
     * its bytes and objects and the class most of it is, else null. The analysis counts none of it; a dump
     * of live objects still lists the JVM's filler arrays, as int[] (the class histogram calls them
     * jdk.internal.vm.FillerElement[]: from JDK 19 on, G1 lays one over the rest of a region after a humongous
     * array), and what became garbage while it was written.
     */
    public String unreachableSummary() {
        long bytes = 0;
        long objects = 0;
        long[] perClass = new long[g.classes.size()];
        int[] countPerClass = new int[g.classes.size()];
        // what the roots reach is what the dominator tree holds: read from it, in memory, not from the BFS parents,
        // which may be parked in a file (a read an object: 25 s of a diff of three dumps of 49 M objects)
        long[] reachable = new long[(g.objectCount + 63) >>> 6];
        for (int p = 1; p < d.count; p++) {
            int v = d.vertex.get(p);
            reachable[v >>> 6] |= 1L << v;
        }
        for (int o = 0; o < g.objectCount; o++) {
            if ((reachable[o >>> 6] & 1L << o) == 0) {
                bytes += g.shallow[o];
                objects++;
                perClass[g.classOf[o]] += g.shallow[o];
                countPerClass[g.classOf[o]]++;
            }
        }
        long total = reachableBytes() + bytes; // what the roots retain is every reachable object's shallow size
        if (bytes == 0 || bytes * 10 < total) {
            return null;
        }
        // the classes by their unreachable bytes: the one that is most of it, else the biggest three
        Integer[] byBytes = new Integer[perClass.length];
        for (int c = 0; c < byBytes.length; c++) {
            byBytes[c] = c;
        }
        Arrays.sort(byBytes, (a, b) -> Long.compare(perClass[b], perClass[a]));
        int top = byBytes[0];
        boolean most = perClass[top] * 2 > bytes;
        StringBuilder what = new StringBuilder(most ? "most of it " : "the biggest parts: ");
        for (int i = 0; i < (most ? 1 : Math.min(3, byBytes.length)) && perClass[byBytes[i]] > 0; i++) {
            int c = byBytes[i];
            what.append(i == 0 ? "" : ", ").append(countPerClass[c]).append(' ').append(g.classes.get(c).name)
                    .append(" (").append(Units.formatBytes(perClass[c])).append(')');
        }
        String name = g.classes.get(top).name;
        // what of it only references hold: a soft cache stays until the heap runs short
        StringBuilder held = new StringBuilder();
        String[] how = {null, " held only through SoftReferences, which the JVM keeps until its heap runs short",
                " held only through WeakReferences", " awaiting finalization",
                " held only through PhantomReferences or Cleaners"};
        for (int s = HeapGraph.SOFT; s <= HeapGraph.PHANTOM; s++) {
            long b = heldOnlyThrough(s);
            if (b * 100 >= bytes) { // 1% of it or more
                held.append(held.length() == 0 ? "; of it, " : ", ").append(Units.formatBytes(b)).append(" (")
                        .append(heldThroughReferences[s].length).append(" objects)").append(how[s]);
            }
        }
        return Units.formatBytes(bytes) + " of the dump's " + Units.formatBytes(total) + " (" + objects
                + " objects) is not reachable from a GC root, so not in the analysis" + held + "; " + what
                + (name.equals("int[]") ? " (a dump lists the JVM's filler arrays as int[]: from JDK 19 on, G1 lays"
                + " one over the rest of a region after a humongous array)" : "");
    }

    /** Retained bytes of an object, 0 if unreachable. A scan over every object: for tests and debugging. */
    public long retainedOf(int object) {
        int p = preorderOf(object);
        return p < 0 ? 0 : retained(p);
    }

    /** Immediate dominator of an object, -1 for the virtual root, -2 if unreachable. A scan, as above. */
    public int idomOf(int object) {
        int p = preorderOf(object);
        return p < 0 ? -2 : d.idom.get(p) == 0 ? -1 : d.vertex.get(d.idom.get(p));
    }

    private int preorderOf(int object) {
        for (int p = 1; p < d.count; p++) {
            if (d.vertex.get(p) == object) {
                return p;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ paths

    /**
     * The method whose frame holds root {@code object} as a local variable (a Java frame root) or a JNI local
     * reference, as the dump's stack traces give it ("Hold.main(Hold.java:16)"), for the root kind the paths
     * name; else null. Roots are few: a scan of them, for the handful of objects a report describes.
     */
    String rootMethodOf(int object) {
        byte kind = rootKindOf(object);
        for (int i = 0; i < g.rootObjects.length; i++) {
            if (g.rootObjects[i] == object && g.rootKinds[i] == kind && g.rootMethods[i] >= 0) {
                return g.methods[g.rootMethods[i]];
            }
        }
        return null;
    }

    /**
     * Shortest strong path from a GC root: "GC root (Java frame in a.Main.run(Main.java:12)): a.B", ".field → c.D",
     * "[3] → e.F".
     */
    public List<String> pathTo(int object) {
        List<String> steps = new ArrayList<>();
        int v = object;
        int p = v >= 0 ? bfsParentOf(v) : -2;
        int guard = 0;
        while (p >= 0 && guard++ < 10_000) {
            steps.add(g.slotName(p, bfsSlotOf(v)) + " → " + g.className(v));
            v = p;
            p = bfsParentOf(v);
        }
        if (v >= 0 && p == -1) {
            String kind = HprofReader.ROOT_NAMES[rootKindOf(v) & 0xff];
            String method = rootMethodOf(v);
            steps.add("GC root (" + (kind == null ? "root" : kind) + (method == null ? "" : " in " + method) + "): "
                    + g.className(v));
        } else {
            steps.add("(not reachable from a GC root): " + g.className(v));
        }
        java.util.Collections.reverse(steps);
        if (steps.size() > 40) {
            List<String> cut = new ArrayList<>(steps.subList(0, 15));
            cut.add("… " + (steps.size() - 30) + " more steps …");
            cut.addAll(steps.subList(steps.size() - 15, steps.size()));
            return cut;
        }
        return steps;
    }

    /**
     * What holds {@code object} on its shortest path from a GC root, in words: "held by the static field
     * Registry.SESSIONS", "held by field cache of a com.acme.Service", "held by element [3] of a java.lang.Object[]",
     * "held by a GC root (Java frame)". A suspect's own name is a JDK class as often as not (an ArrayList, a
     * HashMap); its holder is the code to read.
     */
    String heldBy(int object) {
        int p = bfsParentOf(object);
        if (p == -1) {
            int kind = rootKindOf(object) & 0xff;
            String method = rootMethodOf(object);
            if (method != null) {
                return (kind == 0x03 ? "held by a local variable of " : "held by a JNI local reference in ") + method;
            }
            return "held by a GC root (" + (HprofReader.ROOT_NAMES[kind] == null ? "root" : HprofReader.ROOT_NAMES[kind]) + ")";
        }
        if (p < 0) {
            return "not reachable from a GC root";
        }
        String slot = g.slotName(p, bfsSlotOf(object));
        return switch (g.kind[p]) {
            case HeapGraph.CLASS -> bfsSlotOf(object) == HeapGraph.ClassInfo.LOADER_SLOT
                    ? "the class loader of " + g.classes.get(g.classOf[p]).name
                    : "held by the static field " + g.classes.get(g.classOf[p]).name + slot;
            case HeapGraph.OBJECT_ARRAY -> "held by element " + slot + " of a " + g.className(p);
            default -> "held by field " + slot.substring(1) + " of a " + g.className(p);
        };
    }

    /**
     * The static field of class object {@code cls} on the shortest path from a GC root to {@code target}, which it
     * dominates (so every path to it passes the class): "HISTORY"; null when the class is the target itself or
     * holds it through its loader.
     */
    private String staticFieldTowards(int cls, int target) {
        if (target == cls) {
            return null;
        }
        int x = target;
        for (int p = bfsParentOf(x); p >= 0 && p != cls; p = bfsParentOf(x)) {
            x = p;
        }
        if (x == cls || bfsParentOf(x) != cls || bfsSlotOf(x) == HeapGraph.ClassInfo.LOADER_SLOT) {
            return null;
        }
        return g.slotName(cls, bfsSlotOf(x)).substring(1);
    }

    /** For benchmarks and debugging: each instance of the class with its retained size and immediate dominator. */
    public List<String> describeObjects(String className) {
        List<String> out = new ArrayList<>();
        for (int o = 0; o < g.objectCount; o++) {
            if (g.kind[o] == HeapGraph.INSTANCE && g.classes.get(g.classOf[o]).name.equals(className)) {
                int dom = idomOf(o);
                String payload = "";
                if (g.refs != null) {
                    for (int e = g.refStart.get(o); e < g.refStart.get(o + 1); e++) {
                        int w = g.refs.get(e);
                        if (g.kind[w] == HeapGraph.PRIMITIVE_ARRAY) {
                            payload = " payload " + g.shallow[w] + " B";
                        }
                    }
                }
                out.add(className + payload + ": retains " + retainedOf(o) + " B, immediate dominator "
                        + (dom == -1 ? "<GC roots>" : dom < 0 ? "<unreachable>" : g.className(dom)
                        + (g.kind[dom] == HeapGraph.INSTANCE ? " #" + dom : "")));
            }
        }
        return out;
    }

    /** Follows the biggest dominated child while it keeps at least {@link #BIG_DROP} of its parent's size. */
    int accumulationPoint(int p) {
        for (int depth = 0; depth < 1000; depth++) {
            int best = -1;
            for (int k = childStart.get(p); k < childStart.get(p + 1); k++) {
                int c = children.get(k);
                if (best < 0 || retained(c) > retained(best)) {
                    best = c;
                }
            }
            if (best < 0 || retained(best) < BIG_DROP * retained(p)) {
                return p;
            }
            p = best;
        }
        return p;
    }

    String describe(int p) {
        int count = retainedCount.get(p);
        return g.className(d.vertex.get(p)) + " (retains " + Units.formatBytes(retained(p)) + " in " + count
                + (count == 1 ? " object)" : " objects)");
    }

    /** The objects dominated by {@code p}, grouped by class: count, shallow and retained bytes. */
    List<Heap.ClassRow> dominatedByClass(int p, int limit) {
        Map<String, long[]> rows = new HashMap<>();
        for (int k = childStart.get(p); k < childStart.get(p + 1); k++) {
            int c = children.get(k);
            long[] r = rows.computeIfAbsent(g.className(d.vertex.get(c)), x -> new long[3]);
            r[0]++;
            r[1] += g.shallow[d.vertex.get(c)];
            r[2] += retained(c);
        }
        return rows.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[2]))
                .limit(limit)
                .map(e -> new Heap.ClassRow(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .toList();
    }

    // ------------------------------------------------------------------------------------------ summary

    /** Class histogram: count and shallow bytes of every object, exact retained bytes per class. */
    List<Heap.ClassRow> histogram(int limit) {
        int classCount = g.classes.size() + 1; // + java.lang.Class for class objects
        long[] count = new long[classCount];
        long[] shallow = new long[classCount];
        long[] ret = new long[classCount];
        countByClass(count, shallow);
        retainedByClass(ret);
        Integer[] keys = new Integer[classCount];
        for (int i = 0; i < classCount; i++) {
            keys[i] = i;
        }
        Arrays.sort(keys, Comparator.comparingLong((Integer i) -> -ret[i]).thenComparingLong(i -> -shallow[i]));
        List<Heap.ClassRow> rows = new ArrayList<>();
        for (Integer i : keys) {
            if (rows.size() >= limit || count[i] == 0) {
                continue;
            }
            String name = i == g.classes.size() ? "java.lang.Class" : g.classes.get(i).name;
            rows.add(new Heap.ClassRow(name, count[i], shallow[i], ret[i]));
        }
        return rows;
    }

    // the histogram's two loops, one to a method (see the constructor's)

    private void countByClass(long[] count, long[] shallow) {
        for (int o = 0; o < g.objectCount; o++) {
            int k = histKey(o);
            count[k]++;
            shallow[k] += g.shallow[o];
        }
    }

    /** A node adds its retained size to its class unless a dominator of it has the same class. */
    private void retainedByClass(long[] ret) {
        int[] onPath = new int[ret.length];
        int[] stack = new int[64];
        int[] cursor = new int[64];
        int sp = 0;
        stack[sp] = 0;
        cursor[sp++] = childStart.get(0);
        while (sp > 0) {
            int p = stack[sp - 1];
            int k = cursor[sp - 1];
            if (k == childStart.get(p + 1)) {
                sp--;
                if (p != 0) {
                    onPath[histKey(d.vertex.get(p))]--;
                }
                continue;
            }
            cursor[sp - 1] = k + 1;
            int c = children.get(k);
            int key = histKey(d.vertex.get(c));
            if (onPath[key]++ == 0) {
                ret[key] += retained(c);
            }
            if (sp == stack.length) {
                stack = Arrays.copyOf(stack, sp * 2);
                cursor = Arrays.copyOf(cursor, sp * 2);
            }
            stack[sp] = c;
            cursor[sp++] = childStart.get(c);
        }
    }

    private int histKey(int o) {
        return g.kind[o] == HeapGraph.CLASS ? g.classes.size() : g.classOf[o];
    }

    /** Children of the virtual root, biggest first. */
    int[] topLevel() {
        int[] top = new int[childStart.get(1) - childStart.get(0)];
        for (int i = 0; i < top.length; i++) {
            top[i] = children.get(childStart.get(0) + i);
        }
        return sortByRetainedDesc(top);
    }

    private int[] sortByRetainedDesc(int[] ps) {
        Integer[] boxed = new Integer[ps.length];
        for (int i = 0; i < ps.length; i++) {
            boxed[i] = ps[i];
        }
        Arrays.sort(boxed, Comparator.comparingLong((Integer p) -> -retained(p)));
        int[] out = new int[ps.length];
        for (int i = 0; i < ps.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    public Heap.DumpSummary summary(Long timestampMs) {
        long shallowTotal = 0;
        for (int o = 0; o < g.objectCount; o++) {
            shallowTotal += g.shallow[o];
        }
        int[] top = topLevel();
        List<Heap.Dominator> dominators = new ArrayList<>();
        for (int i = 0; i < Math.min(20, top.length); i++) {
            int p = top[i];
            int v = d.vertex.get(p);
            dominators.add(new Heap.Dominator(g.className(v), retained(p), retainedCount.get(p), g.shallow[v], pathTo(v)));
        }
        return new Heap.DumpSummary(g.path, timestampMs, g.objectCount, shallowTotal, reachableObjects(),
                reachableBytes(), heldOnlyThrough(HeapGraph.SOFT), heldOnlyThrough(HeapGraph.WEAK),
                softCachePath(), g.referenceCount(),
                g.rootObjects.length, g.partial, g.partialReason, g.warnings,
                histogram(40), dominators);
    }

    /**
     * MAT's leak suspects: a top-level dominator retaining more than {@link #SUSPECT_SHARE} of the reachable
     * heap, or a class whose top-level instances together do.
     */
    public List<Heap.LeakSuspect> suspects() {
        List<Heap.LeakSuspect> out = new ArrayList<>();
        long total = Math.max(1, reachableBytes());
        int[] top = topLevel();
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int p : top) {
            if (retained(p) > SUSPECT_SHARE * total) {
                int acc = accumulationPoint(p);
                int v = d.vertex.get(p);
                // a class object is held by its loader whatever the shortest path says; it holds the memory through
                // a static field, which names the code to read (the main class of a program holds it alike on JDK 8
                // and 17: the launcher's appClass is its shortest path)
                boolean aClass = g.kind[v] == HeapGraph.CLASS;
                String holder = aClass ? null : heldBy(v);
                String through = aClass ? staticFieldTowards(v, d.vertex.get(acc)) : null;
                String desc = (aClass ? "Class " + g.classes.get(g.classOf[v]).name
                        : "One instance of " + g.className(v) + (holder == null ? "" : ", " + holder + ","))
                        + " retains " + share(retained(p), total)
                        + " of the reachable heap (" + Units.formatBytes(retained(p)) + ")"
                        + (through != null ? " through its static field " + through : "")
                        + (acc != p ? "; the memory accumulates in " + describe(acc) : "");
                out.add(new Heap.LeakSuspect(g.path, desc, g.className(v), holder, retained(p), retained(p) / (double) total,
                        describe(acc), pathTo(d.vertex.get(acc)), dominatedByClass(acc, 10)));
            } else {
                byClass.computeIfAbsent(histKey(d.vertex.get(p)), k -> new ArrayList<>()).add(p);
            }
        }
        for (List<Integer> group : byClass.values()) {
            long sum = 0;
            for (int p : group) {
                sum += retained(p);
            }
            if (group.size() > 1 && sum > SUSPECT_SHARE * total) {
                int first = group.get(0);
                int acc = accumulationPoint(first);
                String cls = g.className(d.vertex.get(first));
                // class objects are one group whatever their class (histKey): they hold it through their statics
                boolean classes = g.kind[d.vertex.get(first)] == HeapGraph.CLASS;
                // where the biggest is its own accumulation point, it is described once
                String biggest = acc == first ? "the biggest is " + describe(first)
                        : classes ? "the biggest, " + cls + ", accumulates in " + describe(acc)
                        : "the biggest accumulates in " + describe(acc);
                String desc = classes
                        ? group.size() + " classes retain " + share(sum, total) + " of the reachable heap ("
                        + Units.formatBytes(sum) + ") through their static fields; " + biggest
                        : group.size() + " instances of " + cls + " retain " + share(sum, total) + " of the reachable heap ("
                        + Units.formatBytes(sum) + "); " + biggest;
                out.add(new Heap.LeakSuspect(g.path, desc, classes ? "java.lang.Class" : cls, null, sum, sum / (double) total,
                        describe(acc), pathTo(d.vertex.get(acc)), dominatedByClass(acc, 10)));
            }
        }
        out.sort(Comparator.comparingLong(s -> -s.retainedBytes()));
        return out;
    }

    private static String share(long part, long total) {
        return Math.round(1000.0 * part / total) / 10.0 + "%";
    }

    /**
     * Credential-shaped values grouped by the dominator holding them: the nearest dominator with several
     * dominated objects and at least 1% of the heap, else the top-level one.
     */
    public List<Heap.SecretHolder> secretHolders() {
        SecretScanner.Hits hits = g.secretHits;
        long total = Math.max(1, reachableBytes());
        Map<String, Object[]> groups = new LinkedHashMap<>();
        for (int i = 0; i < hits.objects().length; i++) {
            int p = hitPreorder[i];
            String holder;
            if (p < 0) {
                holder = "(unreachable, awaiting GC)";
            } else {
                int h = p;
                while (d.idom.get(h) != 0) {
                    h = d.idom.get(h);
                    if (childStart.get(h + 1) - childStart.get(h) > 1 && retained(h) >= 0.01 * total) {
                        break;
                    }
                }
                List<String> path = pathTo(d.vertex.get(h));
                holder = String.join(" ", path.subList(Math.max(0, path.size() - 3), path.size()));
            }
            String kind = SecretScanner.KINDS[hits.kinds()[i]];
            Object[] grp = groups.computeIfAbsent(holder + "\u0000" + kind,
                    k -> new Object[]{new long[1], new java.util.LinkedHashSet<String>(), new ArrayList<String>()});
            ((long[]) grp[0])[0]++;
            @SuppressWarnings("unchecked") java.util.Set<String> prefixes = (java.util.Set<String>) grp[1];
            if (prefixes.size() < 5) {
                prefixes.add(hits.maskedPrefixes().get(i));
            }
            if (!hits.values().isEmpty()) {
                @SuppressWarnings("unchecked") List<String> values = (List<String>) grp[2];
                if (values.size() < 20) {
                    values.add(hits.values().get(i));
                }
            }
        }
        List<Heap.SecretHolder> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : groups.entrySet()) {
            String[] hk = e.getKey().split("\u0000", 2);
            @SuppressWarnings("unchecked") java.util.Set<String> prefixes = (java.util.Set<String>) e.getValue()[1];
            @SuppressWarnings("unchecked") List<String> values = (List<String>) e.getValue()[2];
            out.add(new Heap.SecretHolder(g.path, hk[0], hk[1], ((long[]) e.getValue()[0])[0], List.copyOf(prefixes),
                    List.copyOf(values)));
        }
        out.sort(Comparator.comparingLong(h -> -h.count()));
        return out.size() > 50 ? List.copyOf(out.subList(0, 50)) : out;
    }

    // ------------------------------------------------------------------------------------------ signatures

    /**
     * Dominator-tree nodes grouped by a signature that survives across dumps: the chain of (field, class)
     * labels from the virtual root, array indexes collapsed, and runs of the same class (linked lists, trees)
     * collapsed into one. Per signature: bytes and objects retained by its top-most nodes, how many such
     * nodes, and the biggest one.
     */
    static final class SigTable {
        final LongIntMap index;
        int size;
        long[] sig = new long[256];
        long[] parent = new long[256];
        String[] className = new String[256];
        long[] bytes = new long[256];
        long[] objects = new long[256];
        int[] nodes = new int[256];
        int[] repr = new int[256];

        /** {@code heldSlot}: by preorder number, the slot through which the dominator holds the node, or -1. */
        SigTable(HeapAnalysis a, IntArray heldSlot) {
            HeapGraph g = a.g;
            Dominators d = a.d;
            index = new LongIntMap(1024);
            // each node's signature as its slot in this table (4 bytes a node, not the 8 of the hash)
            IntArray nodeSlot = g.space.ints(d.count);
            // hashes of class names and of each field's "shape" label, once per class, not per node
            int nc = g.classes.size();
            long[] classHash = new long[nc];
            long[][] fieldHash = new long[nc][];
            long[][] staticHash = new long[nc][];
            for (int c = 0; c < nc; c++) {
                HeapGraph.ClassInfo ci = g.classes.get(c);
                classHash[c] = hash(ci.name);
                fieldHash[c] = new long[ci.refNames.length];
                for (int f = 0; f < ci.refNames.length; f++) {
                    fieldHash[c][f] = hash("." + ci.refNames[f]);
                }
                staticHash[c] = new long[ci.staticRefNames.length];
                for (int f = 0; f < ci.staticRefNames.length; f++) {
                    staticHash[c][f] = hash("." + ci.staticRefNames[f]);
                }
            }
            long arrayHash = hash("[]");
            long unknownField = hash(".<field>");
            long loaderHash = hash(".<classloader>");
            long classObjectHash = hash("class ");
            long indirect = hash("~");
            for (int p = 1; p < d.count; p++) {
                int v = d.vertex.get(p);
                int dp = d.idom.get(p);
                int dv = dp == 0 ? -1 : d.vertex.get(dp);
                long ch = classHash[g.classOf[v]] ^ (g.kind[v] == HeapGraph.CLASS ? classObjectHash : 0);
                if (dv >= 0 && g.classOf[v] == g.classOf[dv] && g.kind[v] == g.kind[dv]
                        && g.kind[v] != HeapGraph.CLASS) {
                    nodeSlot.set(p, nodeSlot.get(dp)); // a run of one class: one node
                    continue;
                }
                long fh;
                if (dv < 0) {
                    fh = 0;
                } else if (heldSlot.get(p) >= 0) {
                    int slot = heldSlot.get(p);
                    int dc = g.classOf[dv];
                    switch (g.kind[dv]) {
                        case HeapGraph.OBJECT_ARRAY -> fh = arrayHash;
                        case HeapGraph.CLASS -> fh = slot == HeapGraph.ClassInfo.LOADER_SLOT ? loaderHash
                                : slot < staticHash[dc].length ? staticHash[dc][slot] : unknownField;
                        default -> fh = slot < fieldHash[dc].length ? fieldHash[dc][slot] : unknownField;
                    }
                } else {
                    fh = indirect;
                }
                long parentSig = dp == 0 ? 0 : sig[nodeSlot.get(dp)];
                long h = mix(parentSig * 0x100000001B3L + ch * 31 + fh);
                h = h == 0 ? 1 : h;
                int slot = index.get(h);
                if (slot < 0) {
                    slot = add(h, parentSig, g.className(v));
                }
                nodeSlot.set(p, slot);
                bytes[slot] += a.retained(p);
                objects[slot] += a.retainedCount.get(p);
                nodes[slot]++;
                if (repr[slot] == 0 || a.retained(p) > a.retained(repr[slot])) {
                    repr[slot] = p;
                }
            }
            g.space.release(nodeSlot);
        }

        private int add(long h, long parentSig, String cls) {
            if (size == sig.length) {
                int c = size * 2;
                sig = Arrays.copyOf(sig, c);
                parent = Arrays.copyOf(parent, c);
                className = Arrays.copyOf(className, c);
                bytes = Arrays.copyOf(bytes, c);
                objects = Arrays.copyOf(objects, c);
                nodes = Arrays.copyOf(nodes, c);
                repr = Arrays.copyOf(repr, c);
            }
            sig[size] = h;
            parent[size] = parentSig;
            className[size] = cls;
            index.put(h, size);
            return size++;
        }

        int slot(long h) {
            return index.get(h);
        }
    }

    /** Readable form of the signature of the node with preorder {@code p}: labels from the root. */
    String signatureText(int p) {
        List<String> labels = new ArrayList<>();
        int guard = 0;
        while (p != 0 && guard++ < 10_000) {
            int v = d.vertex.get(p);
            int dp = d.idom.get(p);
            int dv = dp == 0 ? -1 : d.vertex.get(dp);
            if (dv >= 0 && g.classOf[v] == g.classOf[dv] && g.kind[v] == g.kind[dv] && g.kind[v] != HeapGraph.CLASS) {
                p = dp;
                continue;
            }
            String field = dv < 0 ? "root " : reachedFrom(v, dv) ? g.slotShape(dv, bfsSlotOf(v)) + " " : "~ ";
            labels.add(field + g.className(v));
            p = dp;
        }
        java.util.Collections.reverse(labels);
        return String.join(" / ", labels);
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
