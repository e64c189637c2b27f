package io.leakscope.heap;

import java.util.Arrays;
import java.util.List;

/**
 * Object id (an address) to object index, in one of four layouts chosen by how the ids spread:
 * <ul>
 * <li><b>dense</b>, the usual one: the ids' range, in alignment units, as a bitmap of which units hold an object,
 * 32 units to a long whose high half counts the objects in the units before. An id's rank among the ids is then
 * one load and a bit count, and a table of rank → object index (none when the dump listed its objects in address
 * order) gives the object. About 1.4 + 4 bytes an object for a compacted heap, and the bitmap (a few tens of MB
 * per GB of dump) mostly stays in the cache, so resolving a reference, which pass 2 of a dump spends most of its
 * time on, takes about one cache miss.</li>
 * <li><b>dense with outliers</b>: where the bitmap would not pay over all the ids but would over a window holding
 * three quarters of them or more, the ids outside that window are in a packed index of their own. G1 puts the
 * class-data-sharing archive's objects (a few thousand) at the top of the heap, the rest from its bottom: a heap
 * dumped at a sixth of -Xmx (the test dumps, most services' between peaks) spans too many units an object for the
 * bitmap until the archive's objects are left out of it.</li>
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
    // dense with outliers: the window's last id (its first is min), the objects listed before the window's (its
    // ids ascending: object = rank + rankOffset), and the index of the ids outside it
    private final long coreMax;
    private final int rankOffset;
    private final IdIndex outliers;

    /**
     * Ids a chunk holds while a dump is read: ids are collected in chunks, never copied to grow an array. 256 KB,
     * under half of G1's smallest region: a bigger chunk would be a humongous object taking a whole region,
     * which doubled pass 1's memory in a heap under 2 GB.
     */
    static final int CHUNK = 1 << 15;

    private IdIndex(byte layout, int n, long min, int align, long lastUnit, LongArray words, IntArray objectOf,
                    int shift, IntArray bucketStart) {
        this(layout, n, min, align, lastUnit, words, objectOf, shift, bucketStart, Long.MAX_VALUE, 0, null);
    }

    private IdIndex(byte layout, int n, long min, int align, long lastUnit, LongArray words, IntArray objectOf,
                    int shift, IntArray bucketStart, long coreMax, int rankOffset, IdIndex outliers) {
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
        this.rankOffset = rankOffset;
        this.outliers = outliers;
    }

    /** This dense index over a window up to {@code coreMax}, with the index of the ids outside it. */
    private IdIndex withOutliers(long coreMax, int rankOffset, IdIndex outliers) {
        return new IdIndex(layout, n, min, align, lastUnit, words, objectOf, shift, bucketStart, coreMax, rankOffset,
                outliers);
    }

    /**
     * The lowest and highest of some ids, whether they ascend, and which low bits they all share, noted as the ids
     * are collected: the index needs these before it can lay itself out, and another pass over the ids for them
     * would cost as much as building the bitmap (pass 1 of a dump notes them as it collects the ids).
     */
    static final class Range {
        long count;
        long first;
        long last = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long differ;             // the OR of every id XOR the first: its trailing zeros are the bits all share
        boolean ascending = true;

        void add(long v) {
            if (count++ == 0) {
                first = v;
            }
            ascending &= last < v;
            last = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            differ |= v ^ first;
        }

        /** Adds the ids {@code next} noted, which came after these. */
        void append(Range next) {
            if (next.count == 0) {
                return;
            }
            if (count == 0) {
                first = next.first;
            }
            // the bits every id shares with the first are those they share with next's first and it with ours
            differ |= next.differ | (next.first ^ first);
            ascending &= next.ascending && last < next.first;
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
        long min = noted.min;
        long max = noted.max;
        boolean ascending = noted.ascending;
        long differ = noted.differ;
        int align = Math.min(Long.numberOfTrailingZeros(differ), 6);
        if (min >= 0 && max - min >= 0) {
            long lastUnit = (max - min) >>> align;
            boolean narrow = lastUnit < (1L << 32); // offsets fit the packed index's high half
            if (narrow && (lastUnit >>> 5) + 1 <= 3L * n / 4) {
                return dense(chunks, n, min, max, align, ascending, space);
            }
            IdIndex windowed = denseWindow(chunks, n, min, lastUnit, align, ascending, space);
            if (windowed != null) {
                return windowed;
            }
            if (narrow) {
                return packed(chunks, n, min, lastUnit, align, space, min, max, false);
            }
        }
        return wide(chunks, n, min, ascending, 1, 0);
    }

    /**
     * Sorted ids with their objects: all of them when {@code from > to}, else the {@code n} ids outside {@code
     * from..to} (a dense window's outliers spread over more than 2^32 units: ZGC put one object 47 GB above the
     * 18 M others of the 1 GB heap's dump).
     */
    private static IdIndex wide(List<long[]> chunks, int n, long min, boolean ascending, long from, long to) {
        boolean all = from > to;
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
            order = new int[n];
            int object = 0;
            for (long[] chunk : chunks) {
                for (long v : chunk) {
                    if (v < from || v > to) {
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
     * The bitmap over the window of the ids' range that holds the most ids and still pays (as over all of them:
     * at most 24 units an object), when that is three quarters of the ids or more, with the rest in a packed
     * index; else null. One pass over the ids counts them in {@link #WINDOW_BUCKETS} buckets, noting each bucket's
     * lowest and highest unit, and every window of buckets is tried (half a million sums): its bitmap spans from
     * its first bucket's lowest id to its last bucket's highest.
     */
    private static IdIndex denseWindow(List<long[]> chunks, int n, long min, long lastUnit, int align,
                                       boolean ascending, ArraySpace space) {
        int bshift = 0;
        while ((lastUnit >>> bshift) >= WINDOW_BUCKETS) {
            bshift++;
        }
        int buckets = (int) (lastUnit >>> bshift) + 1;
        long[] before = new long[buckets + 1]; // ids in the buckets before each
        long[] low = new long[buckets];        // each bucket's lowest and highest unit
        long[] high = new long[buckets];
        Arrays.fill(low, Long.MAX_VALUE);
        Arrays.fill(high, -1);
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                long k = (v - min) >>> align;
                int b = (int) (k >>> bshift);
                before[b + 1]++;
                low[b] = Math.min(low[b], k);
                high[b] = Math.max(high[b], k);
            }
        }
        for (int b = 0; b < buckets; b++) {
            before[b + 1] += before[b];
        }
        int bestA = -1;
        int bestB = -1;
        long bestInside = 0;
        for (int a = 0; a < buckets; a++) {
            if (low[a] == Long.MAX_VALUE) {
                continue;
            }
            for (int b = a; b < buckets; b++) {
                long inside = before[b + 1] - before[a];
                long words = ((high[b] - low[a]) >>> 5) + 1;
                if (high[b] >= 0 && inside > bestInside && words <= 3 * inside / 4) {
                    bestInside = inside;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        if (bestA < 0 || bestInside < n - n / 4) {
            return null;
        }
        long lo = min + (low[bestA] << align);
        long hi = min + (high[bestB] << align);
        IdIndex core = dense(chunks, n, lo, hi, align, ascending, space);
        int outside = (int) (n - bestInside);
        return core.withOutliers(hi, ascending ? (int) before[bestA] : 0, lastUnit < (1L << 32)
                ? packed(chunks, outside, min, lastUnit, align, space, lo, hi, true)
                : wide(chunks, outside, min, ascending, lo, hi));
    }

    /**
     * Sets the bit of each id from {@code lo} to {@code hi}, sums the counts, then (unless the ids came in address
     * order, when rank and object are the same, but for the objects before the first in the window) writes each
     * rank's object, last object first so that a duplicate id ends with its first object.
     */
    private static IdIndex dense(List<long[]> chunks, int n, long lo, long hi, int align, boolean ascending,
                                 ArraySpace space) {
        long min = lo;
        long lastUnit = (hi - lo) >>> align;
        LongArray words = space.longs((int) (lastUnit >>> 5) + 1);
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                if (v < lo || v > hi) {
                    continue;
                }
                long k = (v - min) >>> align;
                words.set((int) (k >>> 5), words.get((int) (k >>> 5)) | 1L << (k & 31));
            }
        }
        long count = 0;
        for (int w = 0; w < words.length; w++) {
            long e = words.get(w);
            words.set(w, count << 32 | (e & 0xFFFF_FFFFL));
            count += Long.bitCount(e & 0xFFFF_FFFFL);
        }
        IntArray objectOf = null;
        if (!ascending) {
            objectOf = space.ints((int) count);
            int i = n;
            for (int c = chunks.size() - 1; c >= 0; c--) {
                long[] chunk = chunks.get(c);
                for (int j = chunk.length - 1; j >= 0; j--) {
                    --i;
                    if (chunk[j] < lo || chunk[j] > hi) {
                        continue;
                    }
                    long k = (chunk[j] - min) >>> align;
                    long e = words.get((int) (k >>> 5));
                    objectOf.set((int) (e >>> 32) + Integer.bitCount((int) e & ((1 << ((int) k & 31)) - 1)), i);
                }
            }
        }
        return new IdIndex(DENSE, n, min, align, lastUnit, words, objectOf, 0, null);
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
                                  long from, long to, boolean outside) {
        int s = shiftFor(range, n);
        int buckets = (int) (range >>> s) + 1;
        IntArray start = space.ints(buckets + 1);
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                if ((v < from || v > to) == outside) {
                    start.getAndAdd((int) ((v - min) >>> align >>> s) + 1, 1);
                }
            }
        }
        start.countsToStarts(buckets);
        LongArray sorted = space.longs(n);
        // start[b] serves as bucket b's fill cursor, which leaves it at the next bucket's start
        long i = 0;
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                if ((v < from || v > to) == outside) {
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
                return -1;
            }
            int rank = (int) (e >>> 32) + Integer.bitCount((int) e & ((1 << bit) - 1));
            return objectOf == null ? rank + rankOffset : objectOf.get(rank);
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
