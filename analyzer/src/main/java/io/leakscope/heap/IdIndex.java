package io.leakscope.heap;

import java.util.Arrays;

/**
 * Object id (an address) to object index. Ids are kept sorted with their object indexes; a bucket table over
 * the address range narrows each binary search to a few entries, which keeps resolving tens of millions of
 * references cheap.
 */
final class IdIndex {
    private final long[] sorted;  // the first n entries are used
    private final int n;
    private final int[] objectOf; // null when object index == rank
    private final long min;
    private final int shift;
    private final int[] bucketStart;

    private IdIndex(long[] sorted, int n, int[] objectOf) {
        this.sorted = sorted;
        this.n = n;
        this.objectOf = objectOf;
        this.min = n == 0 ? 0 : sorted[0];
        long range = n == 0 ? 0 : sorted[n - 1] - min;
        int s = 0;
        long target = Math.max(1, n / 2);
        while (s < 63 && Long.compareUnsigned(range >>> s, target) >= 0) {
            s++;
        }
        this.shift = s;
        int buckets = (int) (range >>> s) + 1;
        bucketStart = new int[buckets + 1];
        for (int i = 0; i < n; i++) {
            bucketStart[(int) ((sorted[i] - min) >>> s) + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
    }

    /**
     * Builds the index of the first {@code n} of {@code ids}, given in object order; duplicate ids keep their
     * first object. Takes {@code ids} over (sorts it in place): the caller must not use it afterwards.
     */
    static IdIndex of(long[] ids, int n) {
        boolean ascending = true;
        for (int i = 1; i < n && ascending; i++) {
            ascending = ids[i - 1] < ids[i];
        }
        long[] keys = ids;
        if (ascending) {
            return new IdIndex(keys, n, null);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (!radixSort(keys, order, n)) {
            sort(keys, order, 0, n - 1);
        }
        dedupe(keys, order, n);
        return new IdIndex(keys, n, order);
    }

    int find(long id) {
        if (n == 0 || id < min) {
            return -1;
        }
        long b = (id - min) >>> shift;
        if (Long.compareUnsigned(b, bucketStart.length - 2) > 0) {
            return -1;
        }
        int lo = bucketStart[(int) b];
        int hi = bucketStart[(int) b + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = sorted[mid];
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

    /** Duplicate ids (corrupt dumps): every copy answers with the first object. */
    private static void dedupe(long[] k, int[] o, int n) {
        for (int i = 1; i < n; i++) {
            if (k[i] == k[i - 1]) {
                o[i] = o[i - 1];
            }
        }
    }

    /**
     * LSD radix sort, stable, 11 bits a pass over (id - min) without the alignment bits that every id shares:
     * three passes for a heap up to 64 GB. Returns false (nothing changed) when ids are negative or span
     * more than that, for the comparison sort.
     */
    private static boolean radixSort(long[] k, int[] o, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long or = 0;
        for (int i = 0; i < n; i++) {
            long v = k[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            or |= v;
        }
        if (n < 1024 || min < 0) {
            return false;
        }
        int align = Math.min(Long.numberOfTrailingZeros(or), 6);
        long range = (max - min) >>> align;
        int bits = 64 - Long.numberOfLeadingZeros(range);
        if (bits > 36) {
            return false;
        }
        long[] k2 = new long[n];
        int[] o2 = new int[n];
        int[] count = new int[1 << 11];
        for (int shift = 0; shift < bits; shift += 11) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (((k[i] - min) >>> align >>> shift) & 2047)]++;
            }
            int sum = 0;
            for (int b = 0; b < 2048; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int b = (int) (((k[i] - min) >>> align >>> shift) & 2047);
                int to = count[b]++;
                k2[to] = k[i];
                o2[to] = o[i];
            }
            System.arraycopy(k2, 0, k, 0, n);
            System.arraycopy(o2, 0, o, 0, n);
        }
        return true;
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
