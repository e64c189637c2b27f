package io.leakscope.heap;

import java.util.Arrays;
import java.util.List;

/**
 * Object id (an address) to object index. Usually each entry is one long, the id's offset from the lowest id
 * in alignment units in the high half and the object index in the low half, sorted; a bucket table over the
 * offsets narrows each binary search to a few entries. Resolving a reference then touches two cache lines
 * (bucket, entry), which is what pass 2 of a dump spends most of its time on. Ids spread over more than
 * 2^32 alignment units (or negative) fall back to sorted ids with a parallel array of object indexes.
 */
final class IdIndex {
    private final LongArray sorted; // the first n entries are used: packed entries, or ids in the wide layout
    private final int n;
    private final boolean packed;
    private final int[] objectOf; // wide layout: object of each id, null when object index == rank
    private final long min;
    private final int align;      // packed: low bits every id's offset has clear
    private final int shift;
    private final IntArray bucketStart;

    /**
     * Ids a chunk holds while a dump is read: ids are collected in chunks, never copied to grow an array. 256 KB,
     * under half of G1's smallest region: a bigger chunk would be a humongous object taking a whole region,
     * which doubled pass 1's memory in a heap under 2 GB.
     */
    static final int CHUNK = 1 << 15;

    private IdIndex(LongArray sorted, int n, boolean packed, int[] objectOf, long min, int align, int shift,
                    IntArray bucketStart) {
        this.sorted = sorted;
        this.n = n;
        this.packed = packed;
        this.objectOf = objectOf;
        this.min = min;
        this.align = align;
        if (bucketStart != null) {
            this.shift = shift;
            this.bucketStart = bucketStart;
            return;
        }
        long range = n == 0 ? 0 : sorted.get(n - 1) - min;
        this.shift = shiftFor(range, n);
        int buckets = (int) (range >>> this.shift) + 1;
        int[] start = new int[buckets + 1];
        for (int i = 0; i < n; i++) {
            start[(int) ((sorted.get(i) - min) >>> this.shift) + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            start[b + 1] += start[b];
        }
        this.bucketStart = IntArray.of(start);
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

    /** The index of the first {@code n} of {@code ids}, in object order (tests). */
    static IdIndex of(long[] ids, int n) {
        return of(List.of(Arrays.copyOf(ids, n)), n, ArraySpace.HEAP);
    }

    /**
     * The index of {@code n} ids given in object order, in chunks; duplicate ids keep their first object. The
     * chunks are not changed. The usual (packed) index is in {@code space}; the rare wide one on the heap.
     */
    static IdIndex of(List<long[]> chunks, int n, ArraySpace space) {
        if (n == 0) {
            return new IdIndex(LongArray.of(new long[0]), 0, false, null, 0, 0, 0, null);
        }
        boolean ascending = true;
        long prev = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int i = 0;
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                ascending &= i++ == 0 || prev < v;
                prev = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        long or = 0;
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                or |= v - min;
            }
        }
        int align = Math.min(Long.numberOfTrailingZeros(or), 6);
        if (min >= 0 && max - min >= 0 && ((max - min) >>> align) < (1L << 32)) {
            return packed(chunks, n, min, (max - min) >>> align, align, space);
        }
        long[] keys = new long[n];
        i = 0;
        for (long[] chunk : chunks) {
            System.arraycopy(chunk, 0, keys, i, chunk.length);
            i += chunk.length;
        }
        if (ascending) {
            return new IdIndex(LongArray.of(keys), n, false, null, min, 0, 0, null);
        }
        int[] order = new int[n];
        for (i = 0; i < n; i++) {
            order[i] = i;
        }
        sort(keys, order, 0, n - 1);
        for (i = 1; i < n; i++) {
            if (keys[i] == keys[i - 1]) {
                order[i] = order[i - 1];
            }
        }
        return new IdIndex(LongArray.of(keys), n, false, order, min, 0, 0, null);
    }

    /**
     * Packs and sorts in one counting pass into the same buckets {@link #find} narrows by, then sorts each bucket
     * (a few entries) in place. A dump lists objects mostly in address order, in a few thousand ascending
     * runs, so the scatter writes nearly sequentially: much cheaper than a radix or comparison sort.
     */
    private static IdIndex packed(List<long[]> chunks, int n, long min, long range, int align, ArraySpace space) {
        int s = shiftFor(range, n);
        int buckets = (int) (range >>> s) + 1;
        IntArray start = space.ints(buckets + 1);
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                start.getAndAdd((int) ((v - min) >>> align >>> s) + 1, 1);
            }
        }
        for (int b = 0; b < buckets; b++) {
            start.set(b + 1, start.get(b + 1) + start.get(b));
        }
        LongArray sorted = space.longs(n);
        // start[b] serves as bucket b's fill cursor, which leaves it at the next bucket's start
        long i = 0;
        for (long[] chunk : chunks) {
            for (long v : chunk) {
                long k = (v - min) >>> align;
                sorted.set(start.getAndAdd((int) (k >>> s), 1), k << 32 | i++);
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
        return new IdIndex(sorted, n, true, null, min, align, s, start);
    }

    /** Gives the index's tables back to {@code space}; the index is not to be used again. */
    void release(ArraySpace space) {
        space.release(sorted);
        space.release(bucketStart);
    }

    int find(long id) {
        if (n == 0 || id < min) {
            return -1;
        }
        long k = id - min;
        if (packed) {
            if ((k & ((1L << align) - 1)) != 0) {
                return -1;
            }
            k >>>= align;
        }
        long b = k >>> shift;
        if (Long.compareUnsigned(b, bucketStart.length - 2) > 0) {
            return -1;
        }
        int lo = bucketStart.get((int) b);
        int hi = bucketStart.get((int) b + 1) - 1;
        if (packed) {
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long e = sorted.get(mid);
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
            long v = sorted.get(mid);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return objectOf == null ? mid : objectOf[mid];
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
