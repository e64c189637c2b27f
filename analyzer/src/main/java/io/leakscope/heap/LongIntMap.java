package io.leakscope.heap;

/**
 * long → int open-addressing map, -1 when absent: class ids to classes and instance counts (the reader), name
 * ids to names ({@link Utf8Names}), signatures to slots and objects to their place in a list (the analysis).
 */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int size;

    LongIntMap(int capacity) {
        int c = Integer.highestOneBit(Math.max(4, capacity) * 2);
        keys = new long[c];
        values = new int[c];
        used = new boolean[c];
    }

    int get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return -1;
    }

    /** Adds 1 to the value of {@code key}, an absent key counting as 0: one probe for a key already there. */
    void increment(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i]++;
                return;
            }
        }
        put(key, 1);
    }

    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            long[] k = keys;
            int[] v = values;
            boolean[] u = used;
            keys = new long[k.length * 2];
            values = new int[k.length * 2];
            used = new boolean[k.length * 2];
            size = 0;
            for (int i = 0; i < k.length; i++) {
                if (u[i]) {
                    put(k[i], v[i]);
                }
            }
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (used[i] && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (!used[i]) {
            size++;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
