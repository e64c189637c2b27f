package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdIndexTest {
    /** Every id finds its first object; ids not present find nothing; for the radix path and the fallback. */
    @Test
    void findsEveryIdInAnyOrder() {
        Random rnd = new Random(7);
        for (int round = 0; round < 40; round++) {
            int n = 1 + rnd.nextInt(round % 2 == 0 ? 50 : 20_000);
            long[] ids = new long[n + rnd.nextInt(10)]; // slack past n, as the reader's growing array has
            Map<Long, Integer> first = new HashMap<>();
            boolean wild = round % 5 == 4; // negative / huge ids: the comparison sort
            for (int i = 0; i < n; i++) {
                long id = wild ? rnd.nextLong() : 0x7000_0000L + 8L * rnd.nextInt(4 * n);
                if (i > 0 && rnd.nextInt(50) == 0) {
                    id = ids[rnd.nextInt(i)]; // duplicates, as in corrupt dumps
                }
                ids[i] = id;
                first.putIfAbsent(id, i);
            }
            long[] copy = ids.clone();
            IdIndex index = IdIndex.of(ids, n);
            for (int i = 0; i < n; i++) {
                assertEquals((int) first.get(copy[i]), index.find(copy[i]));
            }
            for (int k = 0; k < 100; k++) {
                long probe = wild ? rnd.nextLong() : 0x7000_0000L + rnd.nextInt(40 * n) - 8;
                assertEquals(first.getOrDefault(probe, -1), index.find(probe));
            }
        }
    }
}
