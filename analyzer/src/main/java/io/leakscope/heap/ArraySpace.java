package io.leakscope.heap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the engine's big tables (the id index, the references, the dominator pass's arrays, retained sizes, the
 * tree) live: on the Java heap, or in memory-mapped temp files, so that a dump bigger than the analyzer's heap
 * can still be analysed. Mapped tables are pages of the kernel's page cache: they count in the process's RSS
 * while touched, but the kernel may write them out and drop them, and they do not count against {@code -Xmx}.
 * The files are owner-only in {@code java.io.tmpdir} and unlinked as soon as they are mapped: nothing is left
 * behind, even when the process is killed.
 * <p>
 * Java 17 cannot unmap a file before the garbage collector finds its buffer, so mapped pages are recycled
 * instead: the engine {@link #release}s a table when it is done with it, and the next table takes its pages
 * (zeroed) before any new file is mapped. The mapped bytes then stay near what is alive at the peak.
 */
final class ArraySpace {
    /** Every table on the heap. */
    static final ArraySpace HEAP = new ArraySpace(null, 0);

    /**
     * Bytes in one mapping: 64 MiB. A table takes whole pages and a released page goes to any later table, so the
     * page is what a table may waste; small enough that the mapped bytes stay near what is alive, large enough
     * that a 10 GB analysis needs a few hundred mappings.
     */
    static final int PAGE_BYTES_SHIFT = 26;

    private static ArraySpace shared;

    private final Path dir;
    private final int pageBytesShift;
    private final List<String> problems = new ArrayList<>();
    private final ArrayDeque<Pages> free = new ArrayDeque<>(); // released tables' pages
    private long mappedBytes;

    /** The pages of one mapped table; given back to the space once, whichever view of the table releases it. */
    static final class Pages {
        final ByteBuffer[] buffers; // full pages of the space, native order; taken out one by one once released
        final long bytes;           // what the table used of them (what must be zeroed for the next one)
        boolean released;

        Pages(ByteBuffer[] buffers, long bytes) {
            this.buffers = buffers;
            this.bytes = bytes;
        }
    }

    private ArraySpace(Path dir, int pageBytesShift) {
        this.dir = dir;
        this.pageBytesShift = pageBytesShift;
    }

    /**
     * Mapped files in {@code dir}; the same space for every dump read from there, so that a diff's next dump
     * takes the pages the previous one released.
     */
    static synchronized ArraySpace mapped(Path dir) {
        if (shared == null || !shared.dir.equals(dir)) {
            shared = new ArraySpace(dir, PAGE_BYTES_SHIFT);
        }
        return shared;
    }

    /** With small pages, so that tests of small dumps cross page boundaries everywhere. */
    static ArraySpace mapped(Path dir, int pageBytesShift) {
        if (pageBytesShift < 12 || pageBytesShift > PAGE_BYTES_SHIFT) {
            throw new IllegalArgumentException("page of 2^" + pageBytesShift + " bytes");
        }
        return new ArraySpace(dir, pageBytesShift);
    }

    /**
     * The space for a dump whose tables need about {@code heapBytesNeeded} on the heap: the heap when that fits
     * in the JVM's maximum heap with 5% to spare, less what the rest of the analyzer holds (at most 64 MB), else
     * mapped files in {@code java.io.tmpdir} (which are slower: about 1.8 times the time, measured in
     * docs/benchmarks.md). The heap's current use is not asked: it counts garbage the collector has not
     * reached yet, and the ids pass 1 collected, which go before the tables come.
     * {@code -Dleakscope.heap.tables=heap|mapped} overrides the choice.
     */
    static ArraySpace choose(long heapBytesNeeded) {
        String mode = requestedTables();
        if (mode.equals("heap")) {
            return HEAP;
        }
        if (mode.equals("mapped")) {
            return mapped(ParkedArrays.defaultDirectory());
        }
        return fitsOnTheHeap(heapBytesNeeded) ? HEAP : mapped(ParkedArrays.defaultDirectory());
    }

    /** Whether {@code bytes} of tables, with 5% to spare, fit in the JVM's maximum heap less the rest's 64 MB. */
    static boolean fitsOnTheHeap(long bytes) {
        long max = Runtime.getRuntime().maxMemory();
        return 1.05 * bytes <= max - Math.min(max / 8, 64L << 20);
    }

    /** {@code -Dleakscope.heap.tables}: "heap", "mapped", or "auto" (the default: {@link #choose} decides). */
    static String requestedTables() {
        return System.getProperty("leakscope.heap.tables", "auto");
    }

    boolean isMapped() {
        return dir != null;
    }

    /**
     * What went wrong mapping tables since the last call (then they were put on the heap instead), for the
     * findings' warnings: the space is shared by the dumps of a diff, each says its own.
     */
    synchronized List<String> takeProblems() {
        List<String> out = List.copyOf(problems);
        problems.clear();
        return out;
    }

    /**
     * Called where a phase has just let go of big heap tables and the next phase is about to allocate others: a
     * full collection, so that the new tables take the regions of the old ones. G1 collects only when its heap
     * fills up, and the tables are humongous objects that never fill the young generation, so without this the
     * JVM grows into fresh memory up to -Xmx before it frees a byte: through the launcher (-Xmx 1.2 times the
     * dump + 256 MB) the 1.42 GB dump peaked at 1,994 MiB RSS, with this at 1,200-1,346 MiB, for 5-25 ms a
     * collection (the live data is a few big primitive arrays: nothing to trace, nothing moved). Mapped tables
     * recycle their pages instead; the heap then holds little (see HeapAnalysis for its one collection).
     * Below {@code RECLAIM_MIN_BYTES} let go of, the growth is not worth a collection (small dumps, tests).
     */
    void reclaimHeap(long bytesLetGo) {
        if (!isMapped() && bytesLetGo >= RECLAIM_MIN_BYTES) {
            System.gc();
        }
    }

    static final long RECLAIM_MIN_BYTES = 8L << 20;

    /** Bytes of files mapped so far (recycled pages count once). */
    synchronized long mappedBytes() {
        return mappedBytes;
    }

    /** A table of {@code length} zeros. */
    IntArray ints(int length) {
        Pages p = dir == null ? null : pages(4L * length);
        return p == null ? IntArray.of(new int[length]) : IntArray.mapped(p, pageBytesShift - 2, length);
    }

    /** A table of {@code length} zeros. */
    LongArray longs(int length) {
        Pages p = dir == null ? null : pages(8L * length);
        return p == null ? LongArray.of(new long[length]) : LongArray.mapped(p, pageBytesShift - 3, length);
    }

    /**
     * Gives a table's pages to the next tables; the table (and any view of it) must not be read again. Nothing
     * to do for a heap table, which the collector frees.
     */
    void release(IntArray a) {
        if (a != null && a.mapping != null) {
            a.forget();
            release(a.mapping);
        }
    }

    void release(LongArray a) {
        if (a != null && a.mapping != null) {
            a.forget();
            release(a.mapping);
        }
    }

    private synchronized void release(Pages p) {
        if (!p.released) {
            p.released = true;
            free.push(p);
        }
    }

    /** Pages for {@code bytes}: released ones first (zeroed where they were used), then new ones. */
    private synchronized Pages pages(long bytes) {
        long page = 1L << pageBytesShift;
        int count = (int) Math.max(1, (bytes + page - 1) / page);
        ByteBuffer[] out = new ByteBuffer[count];
        int have = 0;
        while (have < count && !free.isEmpty()) {
            Pages p = free.peek();
            int from = 0;
            while (from < p.buffers.length && p.buffers[from] == null) {
                from++;
            }
            if (from == p.buffers.length) {
                free.pop();
                continue;
            }
            ByteBuffer b = p.buffers[from];
            p.buffers[from] = null;
            zero(b, Math.max(0, Math.min(page, p.bytes - from * page)));
            out[have++] = b;
        }
        if (have < count) {
            ByteBuffer[] fresh = map(count - have, bytes);
            if (fresh == null) {
                for (int i = 0; i < have; i++) {
                    Pages back = new Pages(new ByteBuffer[]{out[i]}, 0);
                    back.released = true;
                    free.push(back);
                }
                return null;
            }
            System.arraycopy(fresh, 0, out, have, fresh.length);
        }
        return new Pages(out, bytes);
    }

    private static final byte[] ZEROS = new byte[1 << 16];

    private static void zero(ByteBuffer b, long used) {
        for (int off = 0; off < used; off += ZEROS.length) {
            b.put(off, ZEROS, 0, (int) Math.min(ZEROS.length, used - off));
        }
    }

    /**
     * {@code count} new full pages in one new file, or null (noted in {@link #problems}) when the directory
     * cannot take the table's {@code bytes}. Space is checked first: a write to a mapped page the file system
     * has no block for kills the access with an error the engine could not explain any better.
     */
    private ByteBuffer[] map(int count, long bytes) {
        Path f = null;
        try {
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable < bytes + (64L << 20)) {
                note("not enough free space in " + dir + " for a " + (bytes >> 20) + " MB table (" + (usable >> 20)
                        + " MB free)");
                return null;
            }
            f = Files.createTempFile(dir, "leakscope-heap-", ".table",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            long page = 1L << pageBytesShift;
            ByteBuffer[] pages = new ByteBuffer[count];
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (int i = 0; i < count; i++) {
                    // full pages, so that any released page fits any later table; the file is sparse, and the
                    // part of a page no table wrote costs neither memory nor disk
                    pages[i] = ch.map(FileChannel.MapMode.READ_WRITE, i * page, page).order(ByteOrder.nativeOrder());
                }
            }
            mappedBytes += count * page;
            return pages;
        } catch (IOException | UnsupportedOperationException e) {
            note("could not map a table in " + dir + " (" + e.getMessage() + ")");
            return null;
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a file left behind is all that happens
                }
            }
        }
    }

    private void note(String problem) {
        if (problems.size() < 5) {
            problems.add(problem + ON_THE_HEAP);
        }
    }

    /** How each of {@link #takeProblems}' lines ends. */
    static final String ON_THE_HEAP = "; the table was put on the heap instead";

    /**
     * {@link #takeProblems} of the shared mapped space (where dumps map their tables by default), if it was made.
     * Read after the heap ran out, they tell whether the tables' directory could not take them.
     */
    static synchronized List<String> takeSharedProblems() {
        return shared == null ? List.of() : shared.takeProblems();
    }
}
