package io.leakscope.heap;

import java.util.Arrays;
import java.util.List;

/**
 * Object id (an address) to object index, in one of four layouts chosen by how the ids spread:
 * <ul>
 * <li><b>dense</b>, the usual one: the ids' range, in alignment units, as a bitmap of which units hold an object,
 * 32 units to a long whose high half counts the objects in the units before. An id's rank among the ids is then
 * one load and a bit count. A dump lists the class objects first, then (Serial, Parallel and G1; not ZGC and
 * Shenandoah, which list objects as they trace them) the heap's objects in address order, one ascending run:
 * the bitmap then holds that run's ids, whose rank plus the objects before it is the object, and the class
 * objects are outliers (below). Else a table of rank → object (4 bytes an object) gives it. About 1.4 bytes an
 * object for a compacted heap, and the bitmap (a few tens of MB per GB of dump) mostly stays in the cache, so
 * resolving a reference, which pass 2 of a dump spends most of its time on, takes about one cache miss.</li>
 * <li><b>dense with outliers</b>: the ids not in the bitmap, in a packed (or sorted) index of their own: the
 * objects outside the heap's run, and, where the bitmap would not pay over all of the run but would over a window
 * holding three quarters of the ids or more, those outside that window. G1 puts the class-data-sharing archive's
 * objects (a few thousand) at the top of the heap, the rest from its bottom: a heap dumped at a sixth of -Xmx (the
 * test dumps, most services' between peaks) spans too many units an object for the bitmap until the archive's
 * objects are left out of it.</li>
 * <li><b>packed</b>, when the ids are too sparse for a bitmap to pay (more than 24 units an object): one long per
 * id, its offset from the lowest id in alignment units in the high half and the object index in the low half,
 * sorted; a bucket table over the offsets narrows each binary search to a few entries (10 bytes an object).</li>
 * <li><b>wide</b>, for ids spread over more than 2^32 alignment units (or negative): sorted ids with a parallel
 * array of object indexes.</li>
 * </ul>
 * Duplicate ids (only corrupt dumps have them) find their first object.
 */
final class IdIndex {
    private static final byte DENSE = 0;
    private static final byte PACKED = 1;
    private static final byte WIDE = 2;

    private final byte layout;
    private final int n;
    private final long min;
    private final int align;           // dense and packed: low bits every id's offset from min has clear
    private final long lastUnit;       // dense: the highest unit, (max - min) >>> align
    private final LongArray words;     // dense: bitmap and counts; packed: the sorted entries; wide: sorted ids
    private final IntArray objectOf;   // dense: object of each rank; wide: object of each id; null when the same
    private final int shift;           // packed
    private final IntArray bucketStart; // packed
    // dense: the bitmap's last id (its first is min); when its ids are in runs that ascend, each run's first id, in
    // address order, and what makes a rank in it its object (rank + delta); and the index of the ids not in it
    private final long coreMax;
    private final long[] runFirst;
    private final int[] runDelta;
    private final IdIndex outliers;

    /**
     * Ids a chunk holds while a dump is read: ids are collected in chunks, never copied to grow an array. 256 KB,
     * under half of G1's smallest region: a bigger chunk would be a humongous object taking a whole region,
     * which doubled pass 1's memory in a heap under 2 GB.
     */
    static final int CHUNK = 1 << 15;

    private IdIndex(byte layout, int n, long min, int align, long lastUnit, LongArray words, IntArray objectOf,
                    int shift, IntArray bucketStart) {
        this(layout, n, min, align, lastUnit, words, objectOf, shift, bucketStart, Long.MAX_VALUE, null, null, null);
    }

    private IdIndex(byte layout, int n, long min, int align, long lastUnit, LongArray words, IntArray objectOf,
                    int shift, IntArray bucketStart, long coreMax, long[] runFirst, int[] runDelta,
                    IdIndex outliers) {
        this.layout = layout;
        this.n = n;
        this.min = min;
        this.align = align;
        this.lastUnit = lastUnit;
        this.words = words;
        this.objectOf = objectOf;
        this.shift = shift;
        this.bucketStart = bucketStart;
        this.coreMax = coreMax;
        this.runFirst = runFirst;
        this.runDelta = runDelta;
        this.outliers = outliers;
    }

    /** This dense index over the ids up to {@code coreMax}, with the index of the others. */
    private IdIndex withOutliers(long coreMax, IdIndex outliers) {
        return new IdIndex(layout, n, min, align, lastUnit, words, objectOf, shift, bucketStart, coreMax, runFirst,
                runDelta, outliers);
    }

    /**
     * The lowest and highest of some ids, whether they ascend, and which low bits they all share, noted as the ids
     * are collected: the index needs these before it can lay itself out, and another pass over the ids for them
     * would cost as much as building the bitmap (pass 1 of a dump notes them as it collects the ids).
     */
    static final class Range {
        /** Runs noted: the heap's and the odd region walked out of order. */
        static final int RUNS = 4;

        long count;
        long first;
        long last = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long differ;             // the OR of every id XOR the first: its trailing zeros are the bits all share
        boolean ascending = true;
        // the ascending runs the ids come in: the current one's start (ids before it) and first id; the first
        // run's length and last id once it has ended; the longest ended runs' {start, length, first id, last id},
        // longest first
        long runStart;
        long runFirst;
        long firstRunLength;
        long firstRunLast;
        final long[][] longest = new long[RUNS][];

        void add(long v) {
            if (count == 0) {
                first = v;
                runFirst = v;
            } else if (v <= last) {
                ascending = false;
                ended(runStart, count - runStart, runFirst, last);
                runStart = count;
                runFirst = v;
            }
            count++;
            last = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            differ |= v ^ first;
        }

        private void ended(long start, long length, long firstId, long lastId) {
            if (start == 0) {
                firstRunLength = length;
                firstRunLast = lastId;
            }
            keep(longest, new long[] {start, length, firstId, lastId});
        }

        private static void keep(long[][] runs, long[] run) {
            int i = runs.length;
            while (i > 0 && (runs[i - 1] == null || runs[i - 1][1] < run[1])) {
                i--;
            }
            if (i < runs.length) {
                System.arraycopy(runs, i, runs, i + 1, runs.length - i - 1);
                runs[i] = run;
            }
        }

        /**
         * The longest ascending runs of the ids (at most {@link #RUNS}), longest first: {start (ids before it),
         * length, first id, last id}. A dump lists the class objects first, then (but for ZGC and Shenandoah, which
         * list objects as they trace them) the heap's objects in address order: one run, or with ParallelGC two
         * (the young generation, above, then the old).
         */
        long[][] longestRuns() {
            long[][] runs = longest.clone();
            if (count > 0) {
                keep(runs, new long[] {runStart, count - runStart, runFirst, last});
            }
            int k = 0;
            while (k < runs.length && runs[k] != null) {
                k++;
            }
            return Arrays.copyOf(runs, k);
        }

        /** Adds the ids {@code next} noted, which came after these. */
        void append(Range next) {
            if (next.count == 0) {
                return;
            }
            if (count == 0) {
                first = next.first;
                runFirst = next.first;
            }
            // the bits every id shares with the first are those they share with next's first and it with ours
            differ |= next.differ | (next.first ^ first);
            boolean continues = count == 0 || last < next.first; // next's first run goes on with our current one
            long nextFirstLength = next.ascending ? next.count : next.firstRunLength;
            long nextFirstLast = next.ascending ? next.last : next.firstRunLast;
            if (!continues) {
                ended(runStart, count - runStart, runFirst, last);
                runStart = count;
                runFirst = next.first;
            }
            if (!next.ascending) { // the run next's first joins (or starts) ends in next
                ended(runStart, count + nextFirstLength - runStart, runFirst, nextFirstLast);
                for (long[] run : next.longest) {
                    if (run != null && run[0] > 0) { // next's first run, just noted, is in there too
                        keep(longest, new long[] {count + run[0], run[1], run[2], run[3]});
                    }
                }
                runStart = count + next.runStart;
                runFirst = next.runFirst;
            }
            ascending &= next.ascending && continues;
            last = next.last;
            min = Math.min(min, next.min);
            max = Math.max(max, next.max);
            count += next.count;
        }
    }

    /** The index of the first {@code n} of {@code ids}, in object order (tests). */
    static IdIndex of(long[] ids, int n) {
        Range r = new Range();
        for (int i = 0; i < n; i++) {
            r.add(ids[i]);
        }
        return of(List.of(Arrays.copyOf(ids, n)), n, r, ArraySpace.HEAP);
    }

    /**
     * The index of {@code n} ids given in object order, in chunks holding exactly those ids, whose {@code range}
     * was noted as they were collected; duplicate ids keep their first object. The chunks are not changed. Dense
     * and packed indexes are in {@code space}; the rare wide one on the heap.
     */
    static IdIndex of(List<long[]> chunks, int n, Range noted, ArraySpace space) {
        if (n == 0) {
            return new IdIndex(WIDE, 0, 0, 0, 0, LongArray.of(new long[0]), null, 0, IntArray.of(new int[2]));
        }
        // every id is congruent to the lowest modulo 2^align exactly when it is congruent to the first one
        int align = Math.min(Long.numberOfTrailingZeros(noted.differ), 6);
        if (noted.min >= 0 && noted.max - noted.min >= 0) {
            // the bitmap over the heap's runs, in which ranks follow the objects: the longest runs over disjoint
            // address ranges, else the longest alone (which may take a window of its range), else all the ids
            long[][] runs = noted.longestRuns();
            IdIndex dense = null;
            Core disjoint = Core.ofDisjoint(runs, chunks);
            if (disjoint.size() >= n - n / 4) {
                dense = dense(chunks, n, noted, align, disjoint, space);
            }
            if (dense == null && disjoint.from.length > 1 && runs[0][1] >= n - n / 4) {
                dense = dense(chunks, n, noted, align, Core.ofDisjoint(new long[][] {runs[0]}, chunks), space);
            }
            if (dense == null) {
                dense = dense(chunks, n, noted, align, new Core(new long[] {0}, new long[] {n},
                        new long[] {noted.min}, new long[] {noted.max}, noted.ascending), space);
            }
            if (dense != null) {
                return dense;
            }
            long lastUnit = (noted.max - noted.min) >>> align;
            if (lastUnit < (1L << 32)) {
                return packed(chunks, n, noted.min, lastUnit, align, space, null);
            }
        }
        return wide(chunks, n, noted.min, noted.ascending, null);
    }

    /**
     * Which ids the bitmap holds: those of the objects in a few ranges (runs of ascending ids over disjoint address
     * ranges, each from {@code from[r]} to {@code to[r] - 1} with ids {@code first[r]..last[r]}, in address order;
     * or all the objects in any order, not {@code ascending}) that are from {@code lo} to {@code hi} (the window
     * chosen, of a core of one range); the others are outliers.
     */
    private static final class Core {
        final long[] from;
        final long[] to;
        final long[] first;
        final boolean ascending;
        long lo;
        long hi;
        boolean windowed; // lo..hi is narrower than the range of its objects' ids

        Core(long[] from, long[] to, long[] first, long[] last, boolean ascending) {
            this.from = from;
            this.to = to;
            this.first = first;
            this.ascending = ascending;
            lo = first[0];
            hi = last[last.length - 1];
        }

        /**
         * The longest of {@code runs} (longest first) and those after it whose ids no run before it spans, but for
         * at most {@link #STRAGGLERS} ids at its head: the class objects are listed just before the heap's, and the
         * last of them join the heap's first run when their ids are lower.
         */
        static Core ofDisjoint(long[][] runs, List<long[]> chunks) {
            long[][] kept = new long[runs.length][];
            int k = 0;
            for (long[] run : runs) {
                if (k > 0 && run[1] < STRAGGLERS) { // a few class objects: outliers, not one more run to look up
                    continue;
                }
                long floor = Long.MIN_VALUE; // the highest id of the runs kept that start below this one's end
                boolean apart = true;
                for (int i = 0; i < k; i++) {
                    if (kept[i][2] <= run[3]) {
                        floor = Math.max(floor, kept[i][3]);
                    }
                }
                if (run[2] <= floor) {
                    run = run.clone();
                    int dropped = 0;
                    long id;
                    while ((id = idAt(chunks, run[0])) <= floor && dropped < STRAGGLERS && run[1] > 1) {
                        run[0]++;
                        run[1]--;
                        dropped++;
                    }
                    apart = id > floor;
                    run[2] = id;
                }
                if (apart) {
                    kept[k++] = run;
                }
            }
            kept = Arrays.copyOf(kept, k);
            Arrays.sort(kept, (a, b) -> Long.compare(a[2], b[2]));
            long[] from = new long[k];
            long[] to = new long[k];
            long[] first = new long[k];
            long[] last = new long[k];
            for (int i = 0; i < k; i++) {
                from[i] = kept[i][0];
                to[i] = kept[i][0] + kept[i][1];
                first[i] = kept[i][2];
                last[i] = kept[i][3];
            }
            return new Core(from, to, first, last, true);
        }

        static final int STRAGGLERS = 64;

        private static long idAt(List<long[]> chunks, long object) {
            for (long[] chunk : chunks) {
                if (object < chunk.length) {
                    return chunk[(int) object];
                }
                object -= chunk.length;
            }
            throw new IndexOutOfBoundsException();
        }

        long size() {
            long size = 0;
            for (int r = 0; r < from.length; r++) {
                size += to[r] - from[r];
            }
            return size;
        }

        boolean holds(long object, long id) {
            if (id < lo || id > hi) {
                return false;
            }
            for (int r = 0; r < from.length; r++) {
                if (object >= from[r] && object < to[r]) {
                    return true;
                }
            }
            return false;
        }

        /** Whether it holds none of the objects {@code first..first+count-1}. */
        boolean holdsNone(long first, int count) {
            for (int r = 0; r < from.length; r++) {
                if (first + count > from[r] && first < to[r]) {
                    return false;
                }
            }
            return true;
        }

        /** Whether it holds every one of the objects {@code first..first+count-1}, whatever their ids. */
        boolean holdsAll(long first, int count) {
            for (int r = 0; r < from.length && !windowed; r++) {
                if (first >= from[r] && first + count <= to[r]) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Sorted ids with their objects: all of them when {@code core} is null, else the {@code n} ids outside it (a
     * dense window's outliers spread over more than 2^32 units: ZGC put one object 47 GB above the 18 M others of
     * the 1 GB heap's dump).
     */
    private static IdIndex wide(List<long[]> chunks, int n, long min, boolean ascending, Core core) {
        boolean all = core == null;
        long[] keys = new long[n];
        int[] order = null;
        int i = 0;
        if (all) {
            for (long[] chunk : chunks) {
                System.arraycopy(chunk, 0, keys, i, chunk.length);
                i += chunk.length;
            }
            if (!ascending) {
                order = new int[n];
                for (i = 0; i < n; i++) {
                    order[i] = i;
                }
            }
        } else {
            ascending = false;
            order = new int[n];
            int object = 0;
            for (long[] chunk : chunks) {
                if (core.holdsAll(object, chunk.length)) {
                    object += chunk.length;
                    continue;
                }
                for (long v : chunk) {
                    if (!core.holds(object, v)) {
                        keys[i] = v;
                        order[i++] = object;
                    }
                    object++;
                }
            }
        }
        if (!ascending) {
            sort(keys, order, 0, n - 1);
            for (i = 1; i < n; i++) {
                if (keys[i] == keys[i - 1]) {
                    order[i] = order[i - 1];
                }
            }
        }
        if (!all) {
            min = n == 0 ? 0 : keys[0]; // the outliers' lowest, now first
        }
        long range = n == 0 ? 0 : keys[n - 1] - min;
        int s = shiftFor(range, n);
        int[] start = new int[(int) (range >>> s) + 2];
        for (i = 0; i < n; i++) {
            start[(int) ((keys[i] - min) >>> s) + 1]++;
        }
        for (int b = 1; b < start.length; b++) {
            start[b] += start[b - 1];
        }
        return new IdIndex(WIDE, n, min, 0, 0, LongArray.of(keys), order == null ? null : IntArray.of(order), s,
                IntArray.of(start));
    }

    /** Buckets the window is chosen among: a window's ends are at most a 1024th of the ids' range off. */
    private static final int WINDOW_BUCKETS = 1 << 10;

    /**
     * The bitmap over the ids of {@code core}'s objects, or over the window of their range that holds the most of
     * them and still pays (at most 24 units an object), when that is three quarters of all the ids or more, with
     * the other ids in a packed (or sorted) index of their own; else null. Unless the bitmap pays over the core's
     * whole range, one pass over its ids counts them in {@link #WINDOW_BUCKETS} buckets, noting each bucket's lowest
     * and highest unit, and every window of buckets is tried (half a million sums): its bitmap spans from its first
     * bucket's lowest id to its last bucket's highest.
     */
    private static IdIndex dense(List<long[]> chunks, int n, Range noted, int align, Core core, ArraySpace space) {
        long cmin = core.lo;
        long cmax = core.hi;
        long before = 0;           // the core's objects below the window
        long inside = core.size();
        long lastUnit = (cmax - cmin) >>> align;
        if (lastUnit >= (1L << 32) || (lastUnit >>> 5) + 1 > 3 * inside / 4) {
            if (core.from.length > 1) {
                return null;
            }
            int bshift = 0;
            while ((lastUnit >>> bshift) >= WINDOW_BUCKETS) {
                bshift++;
            }
            int buckets = (int) (lastUnit >>> bshift) + 1;
            long[] counts = new long[buckets + 1]; // the core's ids in the buckets before each
            long[] low = new long[buckets];        // each bucket's lowest and highest unit
            long[] high = new long[buckets];
            Arrays.fill(low, Long.MAX_VALUE);
            Arrays.fill(high, -1);
            long object = 0;
            for (long[] chunk : chunks) {
                if (core.holdsNone(object, chunk.length)) {
                    object += chunk.length;
                    continue;
                }
                for (long v : chunk) {
                    if (object >= core.from[0] && object < core.to[0]) {
                        long k = (v - cmin) >>> align;
                        int b = (int) (k >>> bshift);
                        counts[b + 1]++;
                        low[b] = Math.min(low[b], k);
                        high[b] = Math.max(high[b], k);
                    }
                    object++;
                }
            }
            for (int b = 0; b < buckets; b++) {
                counts[b + 1] += counts[b];
            }
            int bestA = -1;
            int bestB = -1;
            long bestInside = 0;
            for (int a = 0; a < buckets; a++) {
                if (low[a] == Long.MAX_VALUE) {
                    continue;
                }
                for (int b = a; b < buckets; b++) {
                    long in = counts[b + 1] - counts[a];
                    long words = ((high[b] - low[a]) >>> 5) + 1;
                    if (high[b] >= 0 && in > bestInside && words <= 3 * in / 4) {
                        bestInside = in;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            if (bestA < 0) {
                return null;
            }
            long lo = cmin + (low[bestA] << align);
            cmax = cmin + (high[bestB] << align);
            cmin = lo;
            before = counts[bestA];
            core.windowed = true;
            inside = bestInside;
        }
        if (inside < n - n / 4) {
            return null;
        }
        core.lo = cmin;
        core.hi = cmax;
        // ranks to objects, run by run in address order: a rank in run r is the object rank + delta[r]
        int[] delta = null;
        if (core.ascending) {
            delta = new int[core.from.length];
            long rank = 0;
            for (int r = 0; r < delta.length; r++) {
                delta[r] = (int) (core.from[r] + before - rank);
                rank += core.to[r] - core.from[r];
            }
        }
        IdIndex bitmap = bitmap(chunks, n, core, align, delta, space);
        int outside = (int) (n - inside);
        if (outside == 0) {
            return bitmap;
        }
        long allUnits = (noted.max - noted.min) >>> align;
        IdIndex outliers = allUnits < (1L << 32) ? packed(chunks, outside, noted.min, allUnits, align, space, core)
                : wide(chunks, outside, noted.min, false, core);
        if (core.ascending && !outliers.disjoint(bitmap)) {
            // an outlier's id is also in the core (a corrupt dump): only ranks mapped one by one find the first
            bitmap.release(space);
            outliers.release(space);
            return null;
        }
        return bitmap.withOutliers(core.hi, outliers);
    }

    /** Whether a dense index's bitmap holds {@code id}. */
    private boolean inBitmap(long id) {
        long k = id - min;
        if (id < min || (k & ((1L << align) - 1)) != 0 || (k >>>= align) > lastUnit) {
            return false;
        }
        return (words.get((int) (k >>> 5)) >>> (k & 31) & 1) != 0;
    }

    /** Whether none of these ids is in {@code bitmap}. */
    private boolean disjoint(IdIndex bitmap) {
        for (int i = 0; i < n; i++) {
            long id = layout == WIDE ? words.get(i) : min + ((words.get(i) >>> 32) << align);
            if (bitmap.inBitmap(id)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets the bit of each of {@code core}'s ids, sums the counts, then (unless the core's ids ascend, when an
     * id's rank and its object differ by the objects before it) writes each rank's object, last object first so
     * that a duplicate id ends with its first object.
     */
    private static IdIndex bitmap(List<long[]> chunks, int n, Core core, int align, int[] delta,
                                  ArraySpace space) {
        long min = core.lo;
        long lastUnit = (core.hi - core.lo) >>> align;
        LongArray words = space.longs((int) (lastUnit >>> 5) + 1);
        long object = 0;
        for (long[] chunk : chunks) {
            if (core.holdsNone(object, chunk.length)) {
                object += chunk.length;
                continue;
            }
            boolean all = core.holdsAll(object, chunk.length);
            for (long v : chunk) {
                if (all || core.holds(object, v)) {
                    long k = (v - min) >>> align;
                    words.set((int) (k >>> 5), words.get((int) (k >>> 5)) | 1L << (k & 31));
                }
                object++;
            }
        }
        long count = 0;
        for (int w = 0; w < words.length; w++) {
            long e = words.get(w);
            words.set(w, count << 32 | (e & 0xFFFF_FFFFL));
            count += Long.bitCount(e & 0xFFFF_FFFFL);
        }
        IntArray objectOf = null;
        if (!core.ascending) {
            objectOf = space.ints((int) count);
            int i = n;
            for (int c = chunks.size() - 1; c >= 0; c--) {
                long[] chunk = chunks.get(c);
                for (int j = chunk.length - 1; j >= 0; j--) {
                    --i;
                    if (!core.holds(i, chunk[j])) {
                        continue;
                    }
                    long k = (chunk[j] - min) >>> align;
                    long e = words.get((int) (k >>> 5));
                    objectOf.set((int) (e >>> 32) + Integer.bitCount((int) e & ((1 << ((int) k & 31)) - 1)), i);
                }
            }
        }
        return new IdIndex(DENSE, n, min, align, lastUnit, words, objectOf, 0, null, Long.MAX_VALUE,
                delta == null ? null : core.first, delta, null);
    }

    /** Buckets of about two keys each over {@code 0..range}. */
    private static int shiftFor(long range, int n) {
        int s = 0;
        long target = Math.max(1, n / 2);
        while (s < 63 && Long.compareUnsigned(range >>> s, target) >= 0) {
            s++;
        }
        return s;
    }

    /**
     * Packs and sorts in one counting pass into the same buckets {@link #find} narrows by, then sorts each bucket
     * (a few entries) in place. A dump lists objects mostly in address order, in a few thousand ascending runs,
     * so the scatter writes nearly sequentially: much cheaper than a radix or comparison sort. Only the {@code n}
     * ids from {@code from} to {@code to} are in it, or, {@code outside}, the {@code n} others; each with its object.
     */
    private static IdIndex packed(List<long[]> chunks, int n, long min, long range, int align, ArraySpace space,
                                  Core core) {
        int s = shiftFor(range, n);
        int buckets = (int) (range >>> s) + 1;
        IntArray start = space.ints(buckets + 1);
        long object = 0;
        for (long[] chunk : chunks) {
            if (core != null && core.holdsAll(object, chunk.length)) {
                object += chunk.length;
                continue;
            }
            for (long v : chunk) {
                if (core == null || !core.holds(object, v)) {
                    start.getAndAdd((int) ((v - min) >>> align >>> s) + 1, 1);
                }
                object++;
            }
        }
        start.countsToStarts(buckets);
        LongArray sorted = space.longs(n);
        // start[b] serves as bucket b's fill cursor, which leaves it at the next bucket's start
        long i = 0;
        for (long[] chunk : chunks) {
            if (core != null && core.holdsAll(i, chunk.length)) {
                i += chunk.length;
                continue;
            }
            for (long v : chunk) {
                if (core == null || !core.holds(i, v)) {
                    long k = (v - min) >>> align;
                    sorted.set(start.getAndAdd((int) (k >>> s), 1), k << 32 | i);
                }
                i++;
            }
        }
        int lo = 0;
        for (int b = 0; b < buckets; b++) {
            int hi = start.get(b);
            if (hi - lo > 32) {
                sorted.sort(lo, hi);
            } else {
                for (int x = lo + 1; x < hi; x++) {
                    long v = sorted.get(x);
                    int j = x - 1;
                    while (j >= lo && sorted.get(j) > v) {
                        sorted.set(j + 1, sorted.get(j));
                        j--;
                    }
                    sorted.set(j + 1, v);
                }
            }
            lo = hi;
        }
        start.copyWithin(0, 1, buckets);
        start.set(0, 0);
        for (int x = 1; x < n; x++) {
            long v = sorted.get(x);
            long prev = sorted.get(x - 1);
            if ((v >>> 32) == (prev >>> 32)) {
                sorted.set(x, (v & 0xFFFF_FFFF_0000_0000L) | (prev & 0xFFFF_FFFFL));
            }
        }
        return new IdIndex(PACKED, n, min, align, 0, sorted, null, s, start);
    }

    /** "dense", "dense, 1234 outliers packed" (or "… sorted"), "packed" or "wide" (timings, tests). */
    String layout() {
        return layout == DENSE ? (outliers == null ? "dense" : "dense, " + outliers.n + " outliers "
                + (outliers.layout == PACKED ? "packed" : "sorted")) : layout == PACKED ? "packed" : "wide";
    }

    /** Gives the index's tables back to {@code space}; the index is not to be used again. */
    void release(ArraySpace space) {
        space.release(words);
        space.release(objectOf);
        space.release(bucketStart);
        if (outliers != null) {
            outliers.release(space);
        }
    }

    /** The object of {@code id}, or -1. */
    int find(long id) {
        if (outliers != null && (id < min || id > coreMax)) {
            return outliers.find(id);
        }
        if (n == 0 || id < min) {
            return -1;
        }
        long k = id - min;
        if (layout != WIDE) {
            if ((k & ((1L << align) - 1)) != 0) {
                return -1;
            }
            k >>>= align;
        }
        if (layout == DENSE) {
            if (k > lastUnit) {
                return -1;
            }
            long e = words.get((int) (k >>> 5));
            int bit = (int) k & 31;
            if (((int) e >>> bit & 1) == 0) {
                return outliers == null ? -1 : outliers.find(id); // a class object, listed before the heap's
            }
            int rank = (int) (e >>> 32) + Integer.bitCount((int) e & ((1 << bit) - 1));
            if (objectOf != null) {
                return objectOf.get(rank);
            }
            int r = runFirst.length - 1;
            while (id < runFirst[r]) {
                r--;
            }
            return rank + runDelta[r];
        }
        long b = k >>> shift;
        if (Long.compareUnsigned(b, bucketStart.length - 2) > 0) {
            return -1;
        }
        int lo = bucketStart.get((int) b);
        int hi = bucketStart.get((int) b + 1) - 1;
        if (layout == PACKED) {
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long e = words.get(mid);
                long v = e >>> 32;
                if (v < k) {
                    lo = mid + 1;
                } else if (v > k) {
                    hi = mid - 1;
                } else {
                    return (int) e;
                }
            }
            return -1;
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = words.get(mid);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return objectOf == null ? mid : objectOf.get(mid);
            }
        }
        return -1;
    }

    /** Sorts keys ascending (as signed longs) carrying order along; ties by order. Iterative quicksort + insertion. */
    private static void sort(long[] k, int[] o, int lo0, int hi0) {
        int[] stack = new int[128];
        int sp = 0;
        stack[sp++] = lo0;
        stack[sp++] = hi0;
        while (sp > 0) {
            int hi = stack[--sp];
            int lo = stack[--sp];
            while (hi - lo > 24) {
                int mid = (lo + hi) >>> 1;
                // median of three as pivot
                if (less(k, o, mid, lo)) swap(k, o, mid, lo);
                if (less(k, o, hi, lo)) swap(k, o, hi, lo);
                if (less(k, o, hi, mid)) swap(k, o, hi, mid);
                long pk = k[mid];
                int po = o[mid];
                int i = lo, j = hi;
                while (i <= j) {
                    while (k[i] < pk || (k[i] == pk && o[i] < po)) i++;
                    while (k[j] > pk || (k[j] == pk && o[j] > po)) j--;
                    if (i <= j) {
                        swap(k, o, i, j);
                        i++;
                        j--;
                    }
                }
                // recurse into the smaller part via the stack, loop on the larger
                if (j - lo < hi - i) {
                    if (i < hi) {
                        stack = push(stack, sp, i, hi);
                        sp += 2;
                    }
                    hi = j;
                } else {
                    if (lo < j) {
                        stack = push(stack, sp, lo, j);
                        sp += 2;
                    }
                    lo = i;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                long kk = k[i];
                int oo = o[i];
                int j = i - 1;
                while (j >= lo && (k[j] > kk || (k[j] == kk && o[j] > oo))) {
                    k[j + 1] = k[j];
                    o[j + 1] = o[j];
                    j--;
                }
                k[j + 1] = kk;
                o[j + 1] = oo;
            }
        }
    }

    private static int[] push(int[] stack, int sp, int a, int b) {
        if (sp + 2 > stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[sp] = a;
        stack[sp + 1] = b;
        return stack;
    }

    private static boolean less(long[] k, int[] o, int a, int b) {
        return k[a] < k[b] || (k[a] == k[b] && o[a] < o[b]);
    }

    private static void swap(long[] k, int[] o, int a, int b) {
        long t = k[a];
        k[a] = k[b];
        k[b] = t;
        int u = o[a];
        o[a] = o[b];
        o[b] = u;
    }
}
