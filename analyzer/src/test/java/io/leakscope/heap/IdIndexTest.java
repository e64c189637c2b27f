package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            // the longest ascending runs, as counted here one by one: the same lengths, each one a run
            List<long[]> runs = new ArrayList<>();
            for (int i = 0, start = 0; i < n; i++) {
                if (i + 1 == n || ids[i + 1] <= ids[i]) {
                    runs.add(new long[] {start, i + 1 - start, ids[start], ids[i]});
                    start = i + 1;
                }
            }
            runs.sort((a, b) -> Long.compare(b[1], a[1]));
            for (IdIndex.Range noted : List.of(whole, appended)) {
                long[][] longest = noted.longestRuns();
                assertEquals(Math.min(runs.size(), IdIndex.Range.RUNS), longest.length, at);
                for (int r = 0; r < longest.length; r++) {
                    assertEquals(runs.get(r)[1], longest[r][1], at);
                    long[] run = longest[r];
                    assertTrue(runs.stream().anyMatch(x -> Arrays.equals(x, run)), at + ": " + Arrays.toString(run));
                }
            }
        }
    }

    /**
     * A dump as HotSpot writes it: the class objects first, in no order, at addresses among the heap's objects,
     * then the heap's objects in address order, one run (Serial, G1) or two (ParallelGC: the young generation, above
     * the old, then the old). The bitmap holds the runs, whose ranks are their objects less the objects before
     * them, and the class objects are outliers (but those at the end of the classes' list whose ids ascend into the
     * heap's first run); unless a class object's id is also a heap object's (a corrupt dump), when the first of the
     * two must be found: then every rank has its object in a table.
     */
    @Test
    void classObjectsFirstThenTheHeapsRunsInAddressOrder() {
        Random rnd = new Random(3);
        for (int round = 0; round < 16; round++) {
            boolean parallel = round % 2 == 1;
            boolean twin = round % 4 == 3;
            int classes = 50 + rnd.nextInt(500);
            int old = 20_000 + rnd.nextInt(20_000);
            int young = parallel ? 3_000 + rnd.nextInt(5_000) : 0;
            long base = 0x7_6000_0000L;
            long[] ids = new long[classes + young + old];
            int i = classes;
            long id = base + 16L * 4 * old; // the young generation, above the old, listed first
            for (int k = 0; k < young; k++) {
                id += 16L * (1 + rnd.nextInt(3));
                ids[i++] = id;
            }
            long top = id;
            id = base;
            for (int k = 0; k < old; k++) {
                id += 16L * (1 + rnd.nextInt(3));
                ids[i++] = id;
            }
            for (int k = 0; k < classes; k++) { // between the heap's objects (odd multiples of 8), in no order
                ids[k] = base + 8 + 16L * rnd.nextInt((int) ((top - base) / 16));
                for (int j = 0; j < k; j++) {
                    if (ids[j] == ids[k]) {
                        k--;
                        break;
                    }
                }
            }
            if (twin) {
                ids[rnd.nextInt(classes)] = ids[classes + rnd.nextInt(young + old)];
            }
            Map<Long, Integer> first = new HashMap<>();
            for (int k = 0; k < ids.length; k++) {
                first.putIfAbsent(ids[k], k);
            }
            IdIndex index = IdIndex.of(ids.clone(), ids.length);
            String at = "round " + round;
            if (twin) {
                assertEquals("dense", index.layout(), at);
            } else { // the last class objects join the heap's first run when their ids ascend into it
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("dense, (\\d+) outliers packed")
                        .matcher(index.layout());
                assertTrue(m.matches() && Integer.parseInt(m.group(1)) <= classes
                        && Integer.parseInt(m.group(1)) > classes - 16, at + ": " + index.layout());
            }
            for (int k = 0; k < ids.length; k++) {
                assertEquals((int) first.get(ids[k]), index.find(ids[k]), at);
            }
            for (int k = 0; k < 5000; k++) {
                long probe = base - 64 + 8L * rnd.nextInt((int) ((top - base) / 8) + 32);
                assertEquals(first.getOrDefault(probe, -1), index.find(probe), at + ": " + Long.toHexString(probe));
            }
        }
    }

    /**
     * G1's heap as a dump lists it: most objects from the heap's bottom, a few thousand (the class-data-sharing
     * archive's) at its top, the heap six times what they fill: the bitmap over the window the most ids are in,
     * the others packed, in address order (rank and object then differ by the objects before the window) or not,
     * with outliers below the window too, and duplicates. And ZGC's: one object 47 GB above the others, too far for
     * the packed index's offsets, so the outliers are sorted.
     */
    @Test
    void aWindowOfTheIdsInABitmapTheOutliersPacked() {
        Random rnd = new Random(5);
        for (int round = 0; round < 12; round++) {
            boolean ordered = round % 3 == 0;
            boolean below = round % 2 == 1;
            int core = 20_000 + rnd.nextInt(20_000);
            int top = 100 + rnd.nextInt(3000);
            int low = below ? 1 + rnd.nextInt(50) : 0;
            long bottom = 0x8_0000_0000L;
            long heapUnits = 6L * 16 * core; // each core object 16 bytes on average, the heap 6 times that
            long[] ids = new long[low + core + top];
            int i = 0;
            for (int k = 0; k < low; k++) { // a few far below the window, as a region left behind
                ids[i++] = bottom + 8L * k;
            }
            long id = bottom + 8L * heapUnits / 3;
            for (int k = 0; k < core; k++) {
                id += 8L * (1 + rnd.nextInt(3));
                ids[i++] = id;
            }
            boolean far = round % 4 == 2;
            id = far ? bottom + (47L << 30) : bottom + 8L * heapUnits - 8L * 4 * top;
            for (int k = 0; k < top; k++) {
                id += 8L * (1 + rnd.nextInt(3));
                ids[i++] = id;
            }
            if (!ordered) {
                for (int k = ids.length - 1; k > 0; k--) {
                    int j = rnd.nextInt(k + 1);
                    long t = ids[k];
                    ids[k] = ids[j];
                    ids[j] = t;
                }
                for (int k = 0; k < 30; k++) {
                    ids[1 + rnd.nextInt(ids.length - 1)] = ids[rnd.nextInt(ids.length / 2)];
                }
            }
            Map<Long, Integer> first = new HashMap<>();
            for (int k = 0; k < ids.length; k++) {
                first.putIfAbsent(ids[k], k);
            }
            IdIndex index = IdIndex.of(ids.clone(), ids.length);
            String at = "round " + round;
            org.junit.jupiter.api.Assertions.assertTrue(index.layout().startsWith("dense, ")
                    && index.layout().endsWith(far ? " outliers sorted" : " outliers packed"), at + ": " + index.layout());
            for (int k = 0; k < ids.length; k++) {
                assertEquals((int) first.get(ids[k]), index.find(ids[k]), at);
            }
            for (int k = 0; k < 3000; k++) {
                long probe = bottom - 64 + 8L * (long) (rnd.nextDouble() * (heapUnits + 16)) + (rnd.nextInt(8) == 0 ? 4 : 0);
                if (far && k % 3 == 0) {
                    probe = ids[rnd.nextInt(ids.length)] + 8L * (rnd.nextInt(5) - 2); // around the far ones too
                }
                assertEquals(first.getOrDefault(probe, -1), index.find(probe), at + ": " + Long.toHexString(probe));
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
            String expected = wild ? "wide" : sparse ? "packed" : crowded ? "dense, 1 outliers packed" : "dense";
            if (n >= 100) {
                // the outlier may have been copied as a duplicate: one or more outliers
                assertEquals(expected, index.layout().replaceAll("dense, \\d+ outliers", "dense, 1 outliers"),
                        "round " + round);
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
