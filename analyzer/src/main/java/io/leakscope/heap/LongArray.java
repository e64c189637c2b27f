package io.leakscope.heap;

import java.nio.LongBuffer;
import java.util.Arrays;

/** The long counterpart of {@link IntArray}: a {@code long[]} on the heap, or pages of a mapped temp file. */
final class LongArray {
    private final long[] array;       // on the heap, or null
    private LongBuffer[] pages;       // mapped: 1 << shift longs each; null once released
    private final int shift;
    private final int mask;
    final int length;
    final ArraySpace.Pages mapping;   // mapped: the pages to give back

    private LongArray(long[] array, LongBuffer[] pages, int shift, int length, ArraySpace.Pages mapping) {
        this.array = array;
        this.pages = pages;
        this.shift = shift;
        this.mask = (1 << shift) - 1;
        this.length = length;
        this.mapping = mapping;
    }

    static LongArray of(long[] a) {
        return new LongArray(a, null, 0, a.length, null);
    }

    static LongArray mapped(ArraySpace.Pages mapping, int shift, int length) {
        LongBuffer[] views = new LongBuffer[mapping.buffers.length];
        for (int i = 0; i < views.length; i++) {
            views[i] = mapping.buffers[i].asLongBuffer();
        }
        return new LongArray(null, views, shift, length, mapping);
    }

    /** Called by {@link ArraySpace#release} only: this table is no longer to be read. */
    void forget() {
        pages = null;
    }

    // small enough for C2 to inline everywhere: see IntArray's accessors

    long get(int i) {
        long[] a = array;
        return a != null ? a[i] : pageGet(i);
    }

    void set(int i, long v) {
        long[] a = array;
        if (a != null) {
            a[i] = v;
        } else {
            pageSet(i, v);
        }
    }

    void add(int i, long d) {
        long[] a = array;
        if (a != null) {
            a[i] += d;
        } else {
            pageAdd(i, d);
        }
    }

    private long pageGet(int i) {
        return pages[i >>> shift].get(i & mask);
    }

    private void pageSet(int i, long v) {
        pages[i >>> shift].put(i & mask, v);
    }

    private void pageAdd(int i, long d) {
        pageSet(i, pageGet(i) + d);
    }

    /** Sorts elements {@code from..to-1} ascending. */
    void sort(int from, int to) {
        if (array != null) {
            Arrays.sort(array, from, to);
            return;
        }
        long[] tmp = new long[to - from];
        for (int i = from; i < to; i++) {
            tmp[i - from] = get(i);
        }
        Arrays.sort(tmp);
        for (int i = from; i < to; i++) {
            set(i, tmp[i - from]);
        }
    }

    boolean isMapped() {
        return array == null;
    }

    long[] toArray() {
        if (array != null) {
            return array.clone();
        }
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = get(i);
        }
        return out;
    }
}
