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
    /**
     * Pass 1 notes the ids' range part by part: the parts' ranges appended in order say what one range over all
     * the ids says (the bits all share, the order, the bounds), whichever way the ids are cut.
     */
    @Test
    void rangesNotedInPartsAddUp() {
        Random rnd = new Random(11);
        for (int round = 0; round < 500; round++) {
            int n = rnd.nextInt(40);
            long[] ids = new long[n];
            long base = rnd.nextInt(3) == 0 ? rnd.nextLong() : 0x7000_0000L;
            int step = 1 << rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                ids[i] = round % 3 == 0 ? base + (long) step * i : base + (long) step * rnd.nextInt(100);
            }
            IdIndex.Range whole = new IdIndex.Range();
            IdIndex.Range appended = new IdIndex.Range();
            IdIndex.Range part = new IdIndex.Range();
            for (int i = 0; i < n; i++) {
                whole.add(ids[i]);
                if (rnd.nextInt(4) == 0) {
                    appended.append(part);
                    part = new IdIndex.Range();
                    if (rnd.nextBoolean()) {
                        appended.append(new IdIndex.Range()); // a part without objects
                    }
                }
                part.add(ids[i]);
            }
            appended.append(part);
            String at = "round " + round;
            assertEquals(whole.count, appended.count, at);
            if (n > 0) {
                assertEquals(whole.first, appended.first, at);
                assertEquals(whole.last, appended.last, at);
                assertEquals(whole.min, appended.min, at);
                assertEquals(whole.max, appended.max, at);
                assertEquals(whole.ascending, appended.ascending, at);
                assertEquals(Long.numberOfTrailingZeros(whole.differ), Long.numberOfTrailingZeros(appended.differ), at);
            }
        }
    }

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
