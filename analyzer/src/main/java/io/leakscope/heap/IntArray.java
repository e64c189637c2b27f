package io.leakscope.heap;

import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * An int table of the engine: an {@code int[]} on the Java heap, or pages of a memory-mapped temp file when the
 * dump's tables would not fit in the heap ({@link ArraySpace}). One class for both, so every loop of the engine
 * is written once; the branch on {@code array} goes the same way for every access of a loop and costs little
 * next to the cache misses those loops take anyway.
 */
final class IntArray {
    private final int[] array;       // on the heap, or null
    private IntBuffer[] pages;       // mapped: 1 << shift ints each; null once released
    private final int shift;
    private final int mask;
    final int length;
    final ArraySpace.Pages mapping;  // mapped: the pages to give back, shared with trimmed views

    private IntArray(int[] array, IntBuffer[] pages, int shift, int length, ArraySpace.Pages mapping) {
        this.array = array;
        this.pages = pages;
        this.shift = shift;
        this.mask = (1 << shift) - 1;
        this.length = length;
        this.mapping = mapping;
    }

    static IntArray of(int[] a) {
        return new IntArray(a, null, 0, a.length, null);
    }

    static IntArray mapped(ArraySpace.Pages mapping, int shift, int length) {
        IntBuffer[] views = new IntBuffer[mapping.buffers.length];
        for (int i = 0; i < views.length; i++) {
            views[i] = mapping.buffers[i].asIntBuffer();
        }
        return new IntArray(null, views, shift, length, mapping);
    }

    /** Called by {@link ArraySpace#release} only: this table is no longer to be read. */
    void forget() {
        pages = null;
    }

    // The accessors stay under 35 bytes of bytecode (-XX:MaxInlineSize), the mapped case in a method of its own:
    // C2 inlines a method that small at every call site, where a bigger one is inlined only at sites it deems
    // hot, and was not at dozens of the engine's (-XX:+PrintInlining: "callee is too large")

    int get(int i) {
        int[] a = array;
        return a != null ? a[i] : pageGet(i);
    }

    void set(int i, int v) {
        int[] a = array;
        if (a != null) {
            a[i] = v;
        } else {
            pageSet(i, v);
        }
    }

    /** Adds {@code d} to element {@code i} and returns its value before. */
    int getAndAdd(int i, int d) {
        int[] a = array;
        if (a == null) {
            return pageGetAndAdd(i, d);
        }
        int v = a[i];
        a[i] = v + d;
        return v;
    }

    private int pageGet(int i) {
        return pages[i >>> shift].get(i & mask);
    }

    private void pageSet(int i, int v) {
        pages[i >>> shift].put(i & mask, v);
    }

    private int pageGetAndAdd(int i, int d) {
        int v = pageGet(i);
        pageSet(i, v + d);
        return v;
    }

    /**
     * Counts held at {@code [i + 1]} become where each {@code i}'s entries start (prefix sums over {@code
     * 0..count}), for the CSR tables.
     */
    void countsToStarts(int count) {
        for (int i = 0; i < count; i++) {
            set(i + 1, get(i + 1) + get(i));
        }
    }

    void fill(int v) {
        if (array != null) {
            Arrays.fill(array, v);
        } else {
            for (int i = 0; i < length; i++) {
                set(i, v);
            }
        }
    }

    /** {@code System.arraycopy(this, from, this, to, count)}: overlapping ranges are copied as if through a buffer. */
    void copyWithin(int from, int to, int count) {
        if (array != null) {
            System.arraycopy(array, from, array, to, count);
        } else if (to < from) {
            for (int i = 0; i < count; i++) {
                set(to + i, get(from + i));
            }
        } else if (to > from) {
            for (int i = count - 1; i >= 0; i--) {
                set(to + i, get(from + i));
            }
        }
    }

    /** The heap array, or null when mapped (then there is nothing to park or copy cheaply). */
    int[] heapArray() {
        return array;
    }

    boolean isMapped() {
        return array == null;
    }

    /**
     * The first {@code used} elements. On the heap a copy when much of the array went unused (the unused tail
     * would hold memory); mapped, the same pages: a page never written holds no memory.
     */
    IntArray trimmed(int used) {
        if (array != null) {
            return array.length - used > array.length / 8 ? of(Arrays.copyOf(array, used)) : this;
        }
        return used == length ? this : new IntArray(null, pages, shift, used, mapping);
    }

    /** A copy of the first elements into a new table of {@code newLength} from {@code space}. */
    IntArray grownTo(int newLength, ArraySpace space) {
        if (array != null && !space.isMapped()) {
            return of(Arrays.copyOf(array, newLength));
        }
        IntArray out = space.ints(newLength);
        for (int i = 0, n = Math.min(length, newLength); i < n; i++) {
            out.set(i, get(i));
        }
        return out;
    }

    /** A heap copy of the first {@code n} elements (tests, and small reads). */
    int[] toArray(int n) {
        if (array != null) {
            return Arrays.copyOf(array, n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = get(i);
        }
        return out;
    }

    int[] toArray() {
        return toArray(length);
    }
}
