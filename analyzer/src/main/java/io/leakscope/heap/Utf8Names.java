package io.leakscope.heap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A dump's UTF8 records (every symbol of the JVM: class, field, method names), kept as their bytes, one array
 * for all; a String is made only for a name asked for (classes and fields: a few thousand of ~40,000 in the
 * 142 MB dump). A String per record in a map cost ~90 bytes a record besides its characters, and a quarter of
 * the small dump's first pass before its heap segments.
 * <p>
 * Filled by one thread (pass 1's records outside the heap), then only read, by any.
 */
final class Utf8Names {
    private final LongIntMap numberOf = new LongIntMap(1 << 12);
    private byte[] bytes = new byte[1 << 16];
    private int[] starts = new int[1 << 10]; // name k's bytes: starts[k] .. starts[k + 1]
    private int count;
    private boolean full;

    /**
     * Adds (or, for an id seen before, replaces) a name; false when the names already take 2 GB, past which no
     * more are kept (those read as unknown).
     */
    boolean add(long id, byte[] b, int off, int len) {
        int used = starts[count];
        if (full || (long) used + len > Integer.MAX_VALUE - 16) {
            full = true;
            return false;
        }
        if (used + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) used + len, 2L * bytes.length)));
        }
        if (count + 2 > starts.length) {
            starts = Arrays.copyOf(starts, 2 * starts.length);
        }
        System.arraycopy(b, off, bytes, used, len);
        starts[count + 1] = used + len;
        numberOf.put(id, count++);
        return true;
    }

    /** The name with this id, or null. */
    String get(long id) {
        int k = numberOf.get(id);
        return k < 0 ? null : new String(bytes, starts[k], starts[k + 1] - starts[k], StandardCharsets.UTF_8);
    }
}
