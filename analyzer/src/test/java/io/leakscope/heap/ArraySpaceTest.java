package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables in mapped files behave as heap arrays do, across page boundaries, and leave no file behind. */
class ArraySpaceTest {

    @Test
    void mappedIntsActAsAnArray(@TempDir Path tmp) throws IOException {
        ArraySpace space = ArraySpace.mapped(tmp, 12); // 1,024 ints a page
        int n = 10_000;
        IntArray mapped = space.ints(n);
        int[] plain = new int[n];
        assertTrue(mapped.isMapped());
        assertArrayEquals(plain, mapped.toArray()); // zeros, like a new array
        Random rnd = new Random(3);
        for (int k = 0; k < 50_000; k++) {
            int i = rnd.nextInt(n);
            int v = rnd.nextInt();
            if (rnd.nextBoolean()) {
                mapped.set(i, v);
                plain[i] = v;
            } else {
                assertEquals(plain[i], mapped.getAndAdd(i, v));
                plain[i] += v;
            }
        }
        assertArrayEquals(plain, mapped.toArray());
        // overlapping copies both ways, across pages, as System.arraycopy does them
        mapped.copyWithin(1000, 1001, 5000);
        System.arraycopy(plain, 1000, plain, 1001, 5000);
        mapped.copyWithin(3000, 17, 6000);
        System.arraycopy(plain, 3000, plain, 17, 6000);
        assertArrayEquals(plain, mapped.toArray());
        IntArray grown = mapped.grownTo(12_345, space);
        assertArrayEquals(java.util.Arrays.copyOf(plain, 12_345), grown.toArray());
        assertEquals(777, mapped.trimmed(777).length);
        assertArrayEquals(java.util.Arrays.copyOf(plain, 777), mapped.trimmed(777).toArray());
        mapped.fill(-2);
        assertTrue(java.util.Arrays.stream(mapped.toArray()).allMatch(x -> x == -2));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count()); // each file is unlinked as soon as it is mapped
        }
        assertEquals(java.util.List.of(), space.takeProblems());
    }

    /** A released table's pages go to the next table, zeroed; releasing twice (or a view) gives nothing twice. */
    @Test
    void releasedPagesAreReusedZeroed(@TempDir Path tmp) {
        ArraySpace space = ArraySpace.mapped(tmp, 12);
        IntArray first = space.ints(3000); // three pages of 1,024 ints
        first.fill(7);
        long mapped = space.mappedBytes();
        assertEquals(3 * 4096, mapped);
        space.release(first);
        space.release(first.trimmed(10)); // the same pages: not given out twice
        IntArray second = space.ints(2000);
        LongArray third = space.longs(500);
        assertEquals(mapped, space.mappedBytes()); // two pages for the ints, one for the longs: no new file
        assertArrayEquals(new int[2000], second.toArray());
        assertArrayEquals(new long[500], third.toArray());
        second.fill(1);
        third.add(499, 5);
        assertEquals(5, third.get(499));
        assertTrue(java.util.Arrays.stream(second.toArray()).allMatch(x -> x == 1));
        IntArray fourth = space.ints(1); // the pool is empty: a new page
        assertEquals(mapped + 4096, space.mappedBytes());
        assertEquals(0, fourth.get(0));
        assertThrows(NullPointerException.class, () -> first.get(0)); // a released table is not read by mistake
    }

    @Test
    void mappedLongsActAsAnArray(@TempDir Path tmp) {
        ArraySpace space = ArraySpace.mapped(tmp, 12); // 512 longs a page
        int n = 5_000;
        LongArray mapped = space.longs(n);
        long[] plain = new long[n];
        Random rnd = new Random(4);
        for (int i = 0; i < n; i++) {
            long v = rnd.nextLong();
            mapped.set(i, v);
            plain[i] = v;
        }
        mapped.add(511, 5);
        plain[511] += 5;
        mapped.sort(300, 2000);
        java.util.Arrays.sort(plain, 300, 2000);
        assertArrayEquals(plain, mapped.toArray());
    }

    @Test
    void whereNothingCanBeMappedTablesGoOnTheHeapAndSaySo(@TempDir Path tmp) {
        ArraySpace space = ArraySpace.mapped(tmp.resolve("missing"));
        IntArray a = space.ints(100);
        a.set(99, 7);
        assertEquals(7, a.get(99));
        assertFalse(a.isMapped());
        java.util.List<String> problems = space.takeProblems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("missing") && problems.get(0).contains("on the heap"), problems.toString());
        assertEquals(java.util.List.of(), space.takeProblems()); // each said once
    }

    @Test
    void theHeapIsChosenWhenTheTablesFitAndFilesWhenTheyDoNot() {
        assertFalse(ArraySpace.choose(1 << 20).isMapped());
        assertTrue(ArraySpace.choose(2 * Runtime.getRuntime().maxMemory()).isMapped());
        System.setProperty("leakscope.heap.tables", "heap");
        try {
            assertFalse(ArraySpace.choose(2 * Runtime.getRuntime().maxMemory()).isMapped());
            System.setProperty("leakscope.heap.tables", "mapped");
            assertTrue(ArraySpace.choose(1).isMapped());
        } finally {
            System.clearProperty("leakscope.heap.tables");
        }
    }

    /**
     * A phase boundary collects only on the heap and only when enough was let go of: what keeps G1 from growing
     * into fresh memory (docs/benchmarks.md) without 3,000 collections in a test of small graphs.
     */
    @Test
    void reclaimingCollectsOnlyOnTheHeapAndOnlyForBigTables(@TempDir Path tmp) {
        ArraySpace mapped = ArraySpace.mapped(tmp);
        long before = collections(); // nothing is allocated from here to the check: no collection of its own
        ArraySpace.HEAP.reclaimHeap(ArraySpace.RECLAIM_MIN_BYTES - 1);
        mapped.reclaimHeap(1L << 40);
        assertEquals(before, collections());
        ArraySpace.HEAP.reclaimHeap(ArraySpace.RECLAIM_MIN_BYTES);
        assertTrue(collections() > before);
    }

    private static long collections() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }
}
