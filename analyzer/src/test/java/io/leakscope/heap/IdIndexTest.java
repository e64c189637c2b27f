package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdIndexTest {
    /**
     * Every id finds its first object; ids not present find nothing; in each layout: the bitmap (ids in any
     * order, in ascending runs as dumps have them, all ascending), the bucket sort (sparse ids, and with a far
     * outlier crowded buckets), and the comparison-sort fallback for wild ids.
     */
    @Test
    void findsEveryIdInAnyOrder() {
        Random rnd = new Random(7);
        for (int round = 0; round < 40; round++) {
            int n = 1 + rnd.nextInt(round % 2 == 0 ? 50 : 20_000);
            long[] ids = new long[n + rnd.nextInt(10)]; // slack past n, as the reader's growing array has
            Map<Long, Integer> first = new HashMap<>();
            boolean wild = round % 5 == 4; // negative / huge ids: the comparison sort
            boolean crowded = round % 5 == 3; // one far outlier: most ids share a few buckets
            boolean runs = round % 5 == 2;    // ascending runs, as HotSpot writes regions
            boolean sparse = round % 5 == 1;  // 400 units an object: too sparse for the bitmap
            boolean ordered = round % 10 == 0; // all ascending: rank and object are the same
            long run = 0x7000_0000L;
            for (int i = 0; i < n; i++) {
                long id = wild ? rnd.nextLong() : 0x7000_0000L + 8L * rnd.nextInt((sparse ? 400 : 4) * n);
                if (crowded && i == n / 2) {
                    id = 0x7_0000_0000L;
                } else if (runs) {
                    run = rnd.nextInt(100) == 0 ? 0x7000_0000L + 8L * rnd.nextInt(4 * n) : run + 8L * (1 + rnd.nextInt(4));
                    id = run;
                }
                if (ordered) {
                    id = 0x7000_0000L + 16L * i + 8L * rnd.nextInt(2);
                } else if (i > 0 && rnd.nextInt(50) == 0) {
                    id = ids[rnd.nextInt(i)]; // duplicates, as in corrupt dumps
                }
                ids[i] = id;
                first.putIfAbsent(id, i);
            }
            long[] copy = ids.clone();
            IdIndex index = IdIndex.of(ids, n);
            String expected = wild ? "wide" : crowded || sparse ? "packed" : "dense";
            if (n >= 100) {
                assertEquals(expected, index.layout(), "round " + round);
            }
            for (int i = 0; i < n; i++) {
                assertEquals((int) first.get(copy[i]), index.find(copy[i]));
            }
            for (int k = 0; k < 100; k++) {
                long probe = wild ? rnd.nextLong() : 0x7000_0000L + rnd.nextInt((sparse ? 4000 : 40) * n) - 8;
                assertEquals(first.getOrDefault(probe, -1), index.find(probe));
            }
        }
    }
}
