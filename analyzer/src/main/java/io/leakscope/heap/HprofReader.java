package io.leakscope.heap;

import io.leakscope.io.InputException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads a HotSpot HPROF heap dump (format 1.0.1/1.0.2, 4- or 8-byte ids, plain or gzip as written by
 * {@code jcmd GC.heap_dump -gz=N}) into a {@link HeapGraph} in two sequential passes: the first collects
 * names, classes, GC roots and every object id; the second, once every id has an index, decodes objects into
 * primitive arrays and CSR references. A dump that ends early or turns corrupt is kept up to its last whole
 * object and marked partial.
 */
public final class HprofReader {
    /** Told how far a pass got; {@code total} is the file size (compressed size for gzip). */
    public interface Progress {
        void update(int pass, long done, long total);

        /** The analysis after the passes starts step {@code step} of {@code steps}, {@code what}. */
        default void analysing(int step, int steps, String what) {
        }

        Progress NONE = (pass, done, total) -> {
        };
    }

    /** A virtual thread's frames: the VM appends the stack to the instance, as long as its field {@code size} says. */
    static final String STACK_CHUNK = "jdk.internal.vm.StackChunk";

    private static final int UTF8 = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int STACK_FRAME = 0x04;
    private static final int STACK_TRACE = 0x05;
    private static final int HEAP_DUMP = 0x0C;
    private static final int HEAP_DUMP_SEGMENT = 0x1C;
    private static final int HEAP_DUMP_END = 0x2C;
    private static final int[] KNOWN_SKIPPED = {0x03, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0B, 0x0D, 0x0E, HEAP_DUMP_END};

    private static final int CLASS_DUMP = 0x20;
    private static final int INSTANCE_DUMP = 0x21;
    private static final int OBJ_ARRAY_DUMP = 0x22;
    private static final int PRIM_ARRAY_DUMP = 0x23;
    static final String[] ROOT_NAMES = new String[256];

    static {
        ROOT_NAMES[0xFF] = "unknown root";
        ROOT_NAMES[0x01] = "JNI global";
        ROOT_NAMES[0x02] = "JNI local";
        ROOT_NAMES[0x03] = "Java frame";
        ROOT_NAMES[0x04] = "native stack";
        ROOT_NAMES[0x05] = "sticky class";
        ROOT_NAMES[0x06] = "thread block";
        ROOT_NAMES[0x07] = "monitor used";
        ROOT_NAMES[0x08] = "thread object";
    }

    private static final String[] PRIMITIVE_ARRAY_NAMES = {null, null, null, null, "boolean[]", "char[]", "float[]",
            "double[]", "byte[]", "short[]", "int[]", "long[]"};

    /** -Dleakscope.heap.timing=true prints phase times on stderr (benchmarks). */
    static final boolean TIMING = Boolean.getBoolean("leakscope.heap.timing");
    /**
     * At most this many References' referents are kept (12 bytes each, 48 MB in all): a heap of millions of them
     * (a Cleaner a direct buffer, a Finalizer an object that has finalize()) is not told apart by them.
     */
    static int MAX_REFERENTS = Integer.getInteger("leakscope.heap.maxReferents", 4 << 20);
    // big-endian ints and longs read from the dump's bytes in one load each, where assembling them from byte
    // loads took 4 or 8 loads, shifts and ors a value (the JIT does not merge those)
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final Path file;
    private final Progress progress;
    private final long fileSize;
    private int idSize;
    private long timestampMs;
    private boolean gzip;
    // a gzip'd dump in HotSpot's independent blocks (jcmd -gz): where each member starts in the file and in the
    // inflated dump, as pass 1 found them; pass 2 starts each part at the member holding its first byte
    private boolean gzipBlocks;
    private long[] memberFileOffsets;
    private long[] memberOffsets;

    /**
     * Pass 2's tables are allocated on a second thread, while the id index is built, from this many bytes of
     * them on (see {@link #readAll}); tests set 0 so that the small test dumps take that path too.
     */
    static long earlyTablesFrom = 256L << 20;
    /** -Dleakscope.heap.threads=N: how many parts a plain dump is read in (default: the available cores, at most 8). */
    static final int THREADS = Integer.getInteger("leakscope.heap.threads",
            Math.min(8, Runtime.getRuntime().availableProcessors()));
    private final int threads;
    private final ArraySpace space; // null: chosen once the dump's size is known

    // pass 1: names and classes come from the records between heap segments, read by the main thread
    private final Utf8Names strings = new Utf8Names();
    private InstanceRefs instanceRefs; // from the class dumps before a parallel run: read by its threads
    private final Map<Long, Long> classNameIds = new HashMap<>();
    /** The threads' stacks, to say which method a Java frame root is a local variable of (see {@link Frames}). */
    private final Frames frames = new Frames();
    private final List<String> warnings = new ArrayList<>();
    private boolean namesFull;
    // heap dumps the file holds (the JVMTI hprof agent of JDK 5-8 appends one each time it is asked): the first is
    // read, as one graph of two heaps would count every object twice
    private int heapDumps;
    private String partialReason;
    private long bytesRead;
    private final java.util.concurrent.atomic.AtomicLong progressBytes = new java.util.concurrent.atomic.AtomicLong();
    // pass 1's parts in file order, and what they found, merged
    private List<Part> parts;
    private final List<ClassDump> classDumps = new ArrayList<>();
    private List<long[]> idChunks;  // object ids in file order, in chunks (of any length)
    private final List<ObjectLayout.Sample> layoutSamples = new ArrayList<>();
    private final ObjectLayout.Neighbours neighbours = new ObjectLayout.Neighbours();
    private IdIndex.Range idRange;   // of idChunks' ids
    private int objectCount;
    private long[] rootIds;
    private byte[] rootKinds;
    private long[] rootFrames;
    private int rootCount;

    private HprofReader(Path file, Progress progress, int threads, ArraySpace space) throws IOException {
        this.file = file;
        this.progress = progress;
        this.fileSize = Files.size(file);
        this.threads = Math.max(1, threads);
        this.space = space;
    }

    public static HeapGraph read(Path file, Progress progress, boolean keepSecretValues) throws IOException {
        return read(file, progress, keepSecretValues, THREADS);
    }

    /** With {@code threads} 1 a plain dump is read in one part on the calling thread (tests compare both). */
    static HeapGraph read(Path file, Progress progress, boolean keepSecretValues, int threads) throws IOException {
        return read(file, progress, keepSecretValues, threads, null);
    }

    /**
     * With the tables in {@code space}; null chooses by the dump's size and the heap's room ({@link
     * ArraySpace#choose}).
     */
    static HeapGraph read(Path file, Progress progress, boolean keepSecretValues, int threads, ArraySpace space)
            throws IOException {
        HprofReader r;
        try {
            r = new HprofReader(file, progress, threads, space);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        }
        return r.readAll(keepSecretValues);
    }

    /** Pass 1's parts of a plain dump read by {@code threads}: each part's ranges of sub-records. */
    static List<List<long[]>> partsOf(Path file, int threads) throws IOException {
        HprofReader r = new HprofReader(file, Progress.NONE, threads, ArraySpace.HEAP);
        try (HprofSource s = r.open()) {
            List<List<long[]>> out = new ArrayList<>();
            for (Part p : r.pass1(s)) {
                out.add(p.segments);
            }
            return out;
        }
    }

    /** Pass 1's count of non-null object array elements, over all parts (tests: what bounds the references). */
    static long nonNullArrayElements(Path file, int threads) throws IOException {
        HprofReader r = new HprofReader(file, Progress.NONE, threads, ArraySpace.HEAP);
        try (HprofSource s = r.open()) {
            long n = 0;
            for (Part p : r.pass1(s)) {
                n += p.arrayElements;
            }
            return n;
        }
    }

    /** The bound pass 1 gives pass 2's reference arrays (tests). */
    static long referenceBound(Path file, int threads) throws IOException {
        HprofReader r = new HprofReader(file, Progress.NONE, threads, ArraySpace.HEAP);
        try (HprofSource s = r.open()) {
            r.merge(r.pass1(s));
        }
        List<HeapGraph.ClassInfo> classes = new ArrayList<>();
        Tables t = r.new Tables(classes, r.buildClasses(classes));
        long bound = 0;
        for (Part p : r.parts) {
            bound += t.edgeBound(p);
        }
        return bound;
    }

    /**
     * The time in the dump's header (ms since the epoch), read without reading the dump; 0 when the file has no
     * readable header (reading it then says why).
     */
    static long timestampOf(Path file) throws IOException {
        try {
            HprofReader r = new HprofReader(file, Progress.NONE, 1, ArraySpace.HEAP);
            if (r.fileSize == 0) {
                return 0;
            }
            try (HprofSource s = r.open()) {
                return r.timestampMs;
            }
        } catch (NoSuchFileException | InputException e) {
            return 0;
        }
    }

    public static HeapGraph read(Path file) throws IOException {
        return read(file, Progress.NONE, false);
    }

    private HeapGraph readAll(boolean keepSecretValues) throws IOException {
        if (fileSize == 0) {
            throw new InputException(file + ": offset 0: empty file, not an HPROF heap dump");
        }
        long t0 = System.nanoTime();
        GzipInput members;
        try (HprofSource src = open()) {
            merge(pass1(src));
            members = src.gz;
        }
        if (members != null) { // read once its thread is gone (closing the source joined it)
            memberFileOffsets = members.memberFileOffsets();
            memberOffsets = members.memberOffsets();
        }
        long t1 = System.nanoTime();
        if (heapDumps > 1) {
            warnings.add("the file holds " + heapDumps + " heap dumps, taken one after another (as the JVMTI hprof"
                    + " agent writes them); only the first is analysed");
        }
        if (objectCount == 0 && partialReason != null) {
            throw new InputException(file + ": " + partialReason + "; no object could be read");
        }
        List<HeapGraph.ClassInfo> classes = new ArrayList<>();
        LongIntMap classIndex = buildClasses(classes);
        Tables t = new Tables(classes, classIndex);
        long bound = 0;
        for (Part p : parts) {
            p.firstEdge = bound;
            bound += t.edgeBound(p);
        }
        ArraySpace space = this.space != null ? this.space
                : ArraySpace.choose(heapBytesNeeded(objectCount, bound));
        // the tables pass 2 fills are allocated (zeroed, page by page) on a second thread while this one builds
        // the id index: a few hundred MB of zeroing per GB of dump, off the critical path. Only when the heap
        // has room for the id chunks (8 bytes an object), the index (at most 10) and the tables at once, and
        // the tables come to 256 MB-1 GB; else (a tight heap, mapped tables, of which 9 bytes an object stay on
        // the heap, small or big tables) the chunks go first and the tables take their memory. Measured: for
        // the 1.42 GB dump's 0.7 GB the second thread saves 0.14-0.2 s, and its peak is the dominator pass's
        // either way; on the 5.69 GB dump's 2.7 GB, alongside the chunks, G1 ran concurrent cycles over the
        // grown heap through the index phase (2.4-5.9 s against 1.8-1.9 s after the chunks) and peaked 225 MiB
        // higher; on the 142 MB dump's 63 MB it saves ~0.02 s, and pass 2 with the chunks was that dump's peak
        // (153-156 MiB RSS; after the chunks 140-155, median 149, where the BFS and the dominator pass are as high)
        long edgeBound = bound;
        java.util.concurrent.FutureTask<Void> tables = new java.util.concurrent.FutureTask<>(() -> {
            t.allocate(space, edgeBound);
            return null;
        });
        long tableBytes = 13L * objectCount + 8 * bound;
        boolean early = threads > 1 && !space.isMapped() && tableBytes >= earlyTablesFrom && tableBytes < (1L << 30)
                && ArraySpace.fitsOnTheHeap(8L * objectCount + 10L * objectCount + tableBytes);
        if (early) {
            Thread th = new Thread(tables, "leakscope-tables");
            th.setDaemon(true);
            th.start();
        }
        IdIndex ids = IdIndex.of(idChunks, objectCount, idRange, space);
        idChunks = null;
        if (!early) {
            space.reclaimHeap(8L * objectCount);
            tables.run();
        }
        await(tables);
        long t2 = System.nanoTime();
        t.ids = ids;
        List<Pass2> p2s = pass2(t, keepSecretValues, bound);
        int edgeCount = t.compact(p2s);
        long t3 = System.nanoTime();
        if (TIMING) {
            System.err.printf("hprof %s: %d references in an array of %d, tables %s; wall pass1 %.2fs, %s index %.2fs,"
                            + " pass2 %.2fs in %d part(s); main-thread CPU %.2fs%n", file, edgeCount, t.refs.length,
                    space.isMapped() ? "mapped" : "on the heap", (t1 - t0) / 1e9, ids.layout(), (t2 - t1) / 1e9,
                    (t3 - t2) / 1e9, p2s.size(), cpuSeconds());
            t3 = System.nanoTime(); // the first printf of a fresh JVM takes tens of milliseconds
        }
        int[] roots = new int[rootCount];
        byte[] kinds = new byte[rootCount];
        int[] rootMethods = new int[rootCount];
        Map<String, Integer> methodIndex = new HashMap<>();
        // a frame holds many roots (860 roots, 11 frames in the benchmark's 142 MB dump): each described once
        LongIntMap methodOfFrame = new LongIntMap(64);
        int nr = 0;
        long danglingRoots = 0;
        for (int i = 0; i < rootCount; i++) {
            int o = ids.find(rootIds[i]);
            if (o >= 0) {
                int m = -1;
                if (rootFrames[i] >= 0) {
                    m = methodOfFrame.get(rootFrames[i]); // -1: not described yet; -2: the dump does not say
                    if (m == -1) {
                        String method = frames.describe((int) (rootFrames[i] >>> 32), (int) rootFrames[i], strings::get);
                        Integer known = method == null ? null : methodIndex.putIfAbsent(method, methodIndex.size());
                        m = method == null ? -2 : known != null ? known : methodIndex.size() - 1;
                        methodOfFrame.put(rootFrames[i], m);
                    }
                }
                rootMethods[nr] = Math.max(m, -1);
                roots[nr] = o;
                kinds[nr++] = rootKinds[i];
            } else {
                danglingRoots++;
            }
        }
        String[] methods = new String[methodIndex.size()];
        for (Map.Entry<String, Integer> e : methodIndex.entrySet()) {
            methods[e.getValue()] = e.getKey();
        }
        long dangling = 0;
        long badInstances = 0;
        List<SecretScanner.Hits> hits = new ArrayList<>();
        List<Long> danglingArrays = new ArrayList<>();
        int referentInts = 0;
        boolean tooManyReferents = false;
        for (Pass2 p2 : p2s) {
            dangling += p2.dangling;
            badInstances += p2.badInstances;
            hits.add(p2.secrets.done());
            danglingArrays.addAll(p2.danglingArrays);
            tooManyReferents |= p2.referentCount < 0;
            referentInts += Math.max(0, p2.referentCount);
        }
        int[] referents = new int[tooManyReferents ? 0 : referentInts];
        referentInts = 0;
        for (Pass2 p2 : p2s) {
            if (!tooManyReferents) {
                System.arraycopy(p2.referents, 0, referents, referentInts, p2.referentCount);
                referentInts += p2.referentCount;
            }
            p2.referents = null;
        }
        long fromGlobalArrays = danglingFromGlobalArrays(danglingArrays, roots, kinds, nr);
        // the id index is not kept: ids are only needed to resolve references, which pass 2 did; let go of it
        // (10 bytes an object) before the reference arrays are cut to size
        p2s = null;
        t.ids = null;
        ids.release(space);
        ids = null;
        space.reclaimHeap(8L * objectCount); // ids, then the id index: 8 and 1.4-10 bytes an object
        if (danglingRoots > 0) {
            warnings.add(danglingRoots + " GC roots point to objects not in the dump");
        }
        List<String> infos = new ArrayList<>();
        if (tooManyReferents) {
            infos.add("more than " + MAX_REFERENTS + " java.lang.ref.References hold a referent: what only soft and"
                    + " weak references hold is not told apart from the rest no GC root reaches");
        }
        if (fromGlobalArrays > 0) {
            infos.add(fromGlobalArrays + " references of object arrays held as JNI globals point to objects not in"
                    + " the dump (ignored): the class-data-sharing archive holds its objects through such an array"
                    + " (JDK 17 with G1, JDK 25), and a dump leaves out those of classes the JVM has not loaded");
        }
        if (dangling > fromGlobalArrays) {
            warnings.add((dangling - fromGlobalArrays) + " references point to objects not in the dump (ignored)");
        }
        if (badInstances > 0) {
            warnings.add(badInstances + " instances did not match their class layout (their references were skipped)");
        }
        if (TIMING) {
            System.err.printf("hprof %s: after pass 2 (roots, referents, warnings) %.1f ms%n", file,
                    (System.nanoTime() - t3) / 1e6);
        }
        return new HeapGraph(file.toString(), timestampMs, idSize, inferred, objectCount, space, t.kind, t.classOf,
                t.shallow, t.refStart, t.refs.trimmed(edgeCount), t.slots.trimmed(edgeCount), classes,
                Arrays.copyOf(roots, nr), Arrays.copyOf(kinds, nr), Arrays.copyOf(rootMethods, nr), methods, referents,
                partialReason != null, partialReason, bytesRead,
                dangling, List.copyOf(warnings), List.copyOf(infos), SecretScanner.concat(hits));
    }

    /**
     * How many dangling references came from object arrays that are JNI-global roots ({@code danglingArrays}:
     * object index &lt;&lt; 32 | count). HotSpot holds the CDS archive's roots array that way (JDK 17 with G1,
     * JDK 25: 686 and 841 such references in the test program's dumps, none otherwise), which lists archived
     * objects of classes loaded or not; the dump has only those of loaded classes.
     */
    private static long danglingFromGlobalArrays(List<Long> danglingArrays, int[] roots, byte[] kinds, int nr) {
        if (danglingArrays.isEmpty()) {
            return 0;
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (long e : danglingArrays) {
            counts.merge((int) (e >>> 32), (int) e, Integer::sum);
        }
        long n = 0;
        for (int i = 0; i < nr; i++) {
            if (kinds[i] == 0x01) { // JNI global
                Integer c = counts.remove(roots[i]);
                n += c == null ? 0 : c;
            }
        }
        return n;
    }

    /**
     * About what the heap must hold for a dump of {@code n} objects and at most {@code edges} references when
     * every table is on it: the peak of pass 2 (id index at most 10n, graph 13n + 8E) or of the analysis (33n,
     * 37n past 32 GiB, see docs/heap-engine.md), whichever is higher, with room for G1's fragmentation of
     * humongous arrays. Measured: the 1.42 GB dump of 24.2 M objects (41 M references, 46 M bound then) runs in
     * -Xmx1000m and not in 900m, the 5.69 GB dump of 97 M objects (164 M, 183 M bound) in -Xmx4000m and not in
     * 3700m: pass 2 is the peak for both.
     */
    static long heapBytesNeeded(long n, long edges) {
        return Math.max(23 * n + 8 * edges, 37 * n);
    }

    /** Pass 2 into {@code t}: a plain file in its parts, one thread each; a gzip stream in one part. */
    private List<Pass2> pass2(Tables t, boolean keepSecretValues, long bound) throws IOException {
        List<Pass2> p2s = new ArrayList<>();
        if (parts.size() > 1 && bound <= Integer.MAX_VALUE - 16) {
            for (Part p : parts) {
                p2s.add(new Pass2(t, p, keepSecretValues, false));
            }
        } else {
            // one thread, one growing reference array (past 2^31 references it stops with one line)
            Part all = parts.get(0);
            if (parts.size() > 1) {
                all = new Part();
                for (Part p : parts) {
                    all.segments.addAll(p.segments);
                }
                all.count = objectCount;
            }
            p2s.add(new Pass2(t, all, keepSecretValues, true));
        }
        if (gzip && !gzipBlocks) {
            try (HprofSource src = open()) {
                p2s.get(0).runStream(src);
            }
        } else {
            progressBytes.set(0);
            decodeInParallel(p2s);
            progress.update(2, fileSize, fileSize);
        }
        return p2s;
    }

    static double cpuSeconds() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    private HprofSource open() throws IOException {
        byte[] magic = new byte[2];
        int n;
        try (InputStream raw = Files.newInputStream(file)) {
            n = raw.readNBytes(magic, 0, 2);
        }
        gzip = n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        HprofSource s;
        if (gzip) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            GzipMembers members;
            try {
                members = new GzipMembers(channel, 0, 0, true);
            } catch (ZipException | EOFException e) {
                channel.close();
                throw new InputException(file + ": offset 0: gzip header is corrupt (" + e.getMessage() + ")");
            }
            gzipBlocks = members.hotspotBlocks();
            if (gzipBlocks && threads > 1 && members.blockSize() > 0) {
                // HotSpot's blocks: inflated by as many threads as pass 2 uses, from here on
                members.close();
                BlockInflater blocks = new BlockInflater(file, members.blockSize(), threads);
                s = new HprofSource(blocks, blocks, 0);
            } else {
                s = new HprofSource(new InflatingPipe(members), members, 0);
            }
        } else {
            s = new HprofSource(FileChannel.open(file, StandardOpenOption.READ));
        }
        try {
            readHeader(s);
        } catch (ZipException | EOFException e) {
            s.close();
            // the compressed stream is damaged before the header's end: nothing of the dump can be read
            throw new InputException(file + ": offset " + s.offset() + ": compressed stream ends early or is corrupt: "
                    + e.getMessage());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void readHeader(HprofSource s) throws IOException {
        StringBuilder fmt = new StringBuilder();
        while (true) {
            if (!s.ensure(1)) {
                throw new InputException(file + ": offset " + s.offset() + ": not an HPROF heap dump (header ends early)");
            }
            int c = s.u1();
            if (c == 0) {
                break;
            }
            fmt.append((char) c);
            if (fmt.length() > 32) {
                break;
            }
        }
        String f = fmt.toString();
        if (f.equals("JAVA PROFILE 1.0.3")) {
            // Android's format: other heap sub-records and a heap per space
            throw new InputException(file + ": offset 0: an Android heap dump (JAVA PROFILE 1.0.3): convert it to a"
                    + " Java one with the Android SDK's hprof-conv (hprof-conv IN OUT) and analyse that");
        }
        if (!f.equals("JAVA PROFILE 1.0.1") && !f.equals("JAVA PROFILE 1.0.2")) {
            throw new InputException(file + ": offset 0: not an HPROF heap dump (header '"
                    + f.replaceAll("[^\\x20-\\x7e]", "?").substring(0, Math.min(f.length(), 24)) + "')");
        }
        if (!s.ensure(12)) {
            throw new InputException(file + ": offset " + s.offset() + ": truncated HPROF header");
        }
        idSize = s.u4();
        if (idSize != 4 && idSize != 8) {
            throw new InputException(file + ": offset " + (s.offset() - 4) + ": unexpected identifier size " + idSize
                    + " (HotSpot writes 4 or 8)");
        }
        timestampMs = s.u8();
    }

    /** A problem inside a record: the dump is analysed up to the last whole object before it. */
    private static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------ pass 1

    /**
     * A run of consecutive heap dump segments that one thread decodes in pass 2, and what pass 1 found in it.
     * HotSpot writes the heap as segments of about 1 MB, so a plain dump splits into as many parts as there are
     * cores.
     */
    private static final class Part {
        final List<long[]> segments = new ArrayList<>(); // {first byte of the body, end of the body}
        final List<long[]> idChunks = new ArrayList<>(); // full chunks of ids, then `ids` up to `fill`
        long[] ids = new long[IdIndex.CHUNK];
        int fill;
        int count;
        long[] rootIds = new long[1 << 6];
        byte[] rootKinds = new byte[1 << 6];
        long[] rootFrames = new long[1 << 6]; // thread serial << 32 | depth, -1 for roots of other kinds
        int rootCount;
        final List<ClassDump> classDumps = new ArrayList<>();
        final LongIntMap instancesPerClass = new LongIntMap(1024);
        long arrayElements;  // non-null elements of object arrays
        long instanceRefs;   // non-null references of instances counted by their class's layout
        String error;        // "offset N: reason" where pass 1 stopped early (then this is the last part)
        long end;            // offset reached
        // where pass 2 puts this part's objects, class objects and references
        int firstObject;
        int firstClassDump;
        long firstEdge;
        final IdIndex.Range idRange = new IdIndex.Range();
        final ObjectLayout.Sample sample = new ObjectLayout.Sample(); // its first records, for the layout
        // each instance's distance to the object after it (ObjectLayout.Neighbours): its first and last object
        // are paired with the parts' around it when the parts are merged
        final ObjectLayout.Neighbours neighbours = new ObjectLayout.Neighbours();
        long firstId;
        boolean any;
        long lastId;
        int lastClass = -1; // the last object's class index in instanceRefs when it is an instance, else -1

        long[] mirrors;     // instanceRefs.mirrors, from this part's first instance on
        int mirror;         // the first of them above lastId, as far as a forward walk from the last seek found
        long mirrorFrom = Long.MAX_VALUE; // the address that walk started at or passed

        /** An instance of the class at {@code k} in {@link #instanceRefs} (-1: none there). */
        void addInstance(long id, int k, InstanceRefs refs) {
            addObject(id);
            lastClass = k;
            if (k >= 0 && mirrors == null) { // refs is the same for every instance of a run
                neighbours.size(refs.bytes.length);
                mirrors = refs.mirrors;
            }
        }

        void addObject(long id) {
            if (lastClass >= 0) {
                neighbours.observe(lastClass, Math.min(id, mirrorAbove(lastId)) - lastId);
            } else if (!any) {
                any = true;
                firstId = id;
            }
            lastId = id;
            lastClass = -1;
            if (fill == ids.length) {
                idChunks.add(ids);
                ids = new long[IdIndex.CHUNK];
                fill = 0;
            }
            ids[fill++] = id;
            count++;
            idRange.add(id);
        }

        /**
         * The lowest class mirror address above {@code x}: a mirror sits in the heap among the instances, but the
         * dump lists it with the classes, not in their order. The instances come in address order within a region,
         * so a cursor walks forward; a lower address (another region) seeks again.
         */
        long mirrorAbove(long x) {
            long[] ms = mirrors;
            if (x < mirrorFrom) {
                int i = Arrays.binarySearch(ms, x);
                mirror = i >= 0 ? i + 1 : -i - 1;
            }
            mirrorFrom = x;
            int i = mirror;
            while (i < ms.length && ms[i] <= x) {
                i++;
            }
            mirror = i;
            return i < ms.length ? ms[i] : Long.MAX_VALUE;
        }

        void addRoot(long id, int kind, long frame) {
            if (rootCount == rootIds.length) {
                rootIds = Arrays.copyOf(rootIds, rootCount * 2);
                rootKinds = Arrays.copyOf(rootKinds, rootCount * 2);
                rootFrames = Arrays.copyOf(rootFrames, rootCount * 2);
            }
            rootIds[rootCount] = id;
            rootFrames[rootCount] = frame;
            rootKinds[rootCount++] = (byte) kind;
        }
    }

    /**
     * Pass 1: the records in order, cutting the heap into parts of about equal bytes, one per thread, that pass
     * 2 reads in parallel. A plain dump's run of heap segments (HotSpot writes ~1 MB each) is scanned in parallel
     * too, a part per thread ({@link #scanRunInParallel}); the rest on this thread. A plain dump with fewer
     * segments is cut between any two sub-records: a JDK 8 dump of a heap under 2 GB is one HEAP_DUMP record. A
     * gzip stream can be split only where HotSpot wrote it in independent blocks (jcmd -gz); any other stays one
     * part.
     */
    private List<Part> pass1(HprofSource s) throws IOException {
        List<Part> parts = new ArrayList<>();
        parts.add(new Part());
        Split split = new Split(parts, gzip && !gzipBlocks ? 1 : threads);
        boolean inSegments = false; // between a HEAP_DUMP_SEGMENT and its HEAP_DUMP_END
        try {
            while (true) {
                if (!s.ensure(9)) {
                    if (s.remaining() > 0) {
                        throw new Corrupt("truncated record header");
                    }
                    break;
                }
                long recordAt = s.offset();
                int tag = s.u1();
                s.u4();
                long len = s.u4() & 0xffffffffL;
                if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
                    // a HEAP_DUMP record is a whole heap; segments are one until HEAP_DUMP_END
                    if (tag == HEAP_DUMP || !inSegments) {
                        heapDumps++;
                    }
                    inSegments = tag == HEAP_DUMP_SEGMENT;
                    if (heapDumps > 1) {
                        if (!s.skip(len)) {
                            break; // a later dump cut short: the first is whole all the same
                        }
                        continue;
                    }
                    int run = gzip || threads == 1 || tag != HEAP_DUMP_SEGMENT ? NOT_RUN
                            : scanRunInParallel(s, recordAt, split);
                    if (run == STOPPED) {
                        progress.update(1, fileSize, fileSize);
                        return parts;
                    } else if (run == READ) {
                        continue;
                    }
                    long start = s.offset();
                    if (gzip && split.last().segments.isEmpty()) {
                        split.aim(s); // the first estimate of a compressed dump's size, for the first cut
                    }
                    split.last().segments.add(new long[]{start, start + len});
                    scan(s, start + len, split);
                } else {
                    inSegments &= tag != HEAP_DUMP_END;
                    otherRecord(s, tag, len, recordAt);
                }
                if (s.offset() >= split.nextReport) {
                    split.report(s);
                }
            }
        } catch (Corrupt e) {
            split.last().error = "offset " + s.offset() + ": " + e.getMessage();
        } catch (EOFException | ZipException e) {
            split.last().error = "offset " + s.offset() + ": "
                    + (gzip ? "compressed stream ends early or is corrupt: " : "") + e.getMessage();
        }
        split.last().end = s.offset();
        progress.update(1, fileSize, fileSize);
        return parts;
    }

    private static final int NOT_RUN = 0;  // scanRunInParallel: too few segments, the caller scans them
    private static final int READ = 1;     // the run was read, and the source moved past it
    private static final int STOPPED = 2;  // the run ends pass 1 (its last part says where and why)

    /**
     * Pass 1 of the run of heap segments whose first header is at {@code at}, on {@code threads} threads, when
     * it has at least two segments a thread: the segments up to the first instance are scanned on this thread
     * (the classes' layouts are known from there on), the rest is cut between segments into parts of about equal
     * bytes, and each thread scans its part's segments on its own file channel. A segment's header gives its length,
     * so the cuts are found from the headers alone, exactly: no guessing where a sub-record starts. The parts
     * are what one thread would have found, in file order; when a part fails (corrupt, cut short), the parts
     * after it are dropped, as one thread would never have read them.
     */
    private int scanRunInParallel(HprofSource s, long at, Split split) throws IOException, Corrupt {
        List<long[]> run = new ArrayList<>();
        byte[] header = new byte[9];
        long pos = at;
        long t0 = System.nanoTime();
        // a file of its own, so that the source's buffer stays where it is; a RandomAccessFile's seek and read go
        // straight to their system calls, where a FileChannel's positional read runs through some layers (in a
        // fresh JVM, the 142 MB dump's 135 headers: 0.7-1.0 ms against 2.4-3.9; the 1.42 GB dump's 1,359:
        // 4.7-5.1 ms against 14-21)
        try (RandomAccessFile headers = new RandomAccessFile(file.toFile(), "r")) {
            while (pos + 9 <= fileSize) {
                if ((run.size() & 15) == 15 && tooSlow(System.nanoTime() - t0, pos - at)) {
                    return NOT_RUN;
                }
                headers.seek(pos);
                int got = 0;
                for (int r; got < 9 && (r = headers.read(header, got, 9 - got)) > 0; ) {
                    got += r;
                }
                if (got < 9 || (header[0] & 0xff) != HEAP_DUMP_SEGMENT) {
                    break; // the end of the file (fileSize is where it ended when opened), or of the run
                }
                long len = (int) INT_BE.get(header, 5) & 0xffffffffL;
                run.add(new long[]{pos + 9, pos + 9 + len});
                pos += 9 + len;
            }
        }
        if (run.size() < 2 * threads) {
            return NOT_RUN;
        }
        split.noMoreCuts();
        // up to the first instance on this thread: HotSpot writes every CLASS_DUMP before it, and the run's
        // threads count the instances' references by the layouts of the classes read by then
        int first = 0;
        while (first < run.size() && !split.layoutsKnown) {
            scanSegment(s, run.get(first++), split);
        }
        List<long[]> rest = run.subList(first, run.size());
        long total = 0;
        for (long[] g : rest) {
            total += g[1] - g[0];
        }
        List<List<long[]>> groups = new ArrayList<>();
        long sum = 0;
        for (long[] g : rest) {
            if (groups.isEmpty() || sum >= total * groups.size() / threads) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(g);
            sum += g[1] - g[0];
        }
        List<Part> runParts = new ArrayList<>();
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (List<long[]> group : groups) {
            Part part = runParts.isEmpty() ? split.last() : new Part(); // the main thread waits meanwhile
            runParts.add(part);
            tasks.add(() -> {
                scanGroup(group, part);
                return null;
            });
        }
        progressBytes.set(rest.isEmpty() ? pos : rest.get(0)[0]);
        inParallel(tasks, threads);
        for (Part part : runParts) {
            if (part != split.last()) {
                split.parts.add(part);
            }
            if (part.error != null) {
                return STOPPED;
            }
        }
        s.seek(pos);
        split.ranInParallel(pos);
        return READ;
    }

    /**
     * Where the instances of each class whose layout is complete (the CLASS_DUMPs of it and all its
     * superclasses read) hold references, so that pass 1 counts the non-null ones: pass 2 keeps no null
     * reference, and these, not the fields, then bound its reference arrays. A complete layout is the one pass 2
     * uses (the first CLASS_DUMP of each id counts, and offsets follow from field types alone); any other class's
     * instances count all their fields. A Reference's referent, which pass 2 leaves out, is counted: it is known
     * by name, and a later record may rename a class (a damaged dump), so a bound that left it out could fall
     * short of what pass 2 writes.
     */
    private static final class InstanceRefs {
        final LongIntMap index;
        final int[] bytes;
        final int[][] offsets;
        final long[] mirrors; // the classes' ids, sorted: their mirrors' addresses, objects among the instances

        InstanceRefs(int classes, long[] mirrors) {
            index = new LongIntMap(classes * 2 + 16);
            bytes = new int[classes];
            offsets = new int[classes][];
            this.mirrors = mirrors;
        }

        int nonNull(int k, byte[] b, int base, int idSize) {
            int count = 0;
            for (int off : offsets[k]) {
                if (!isNullId(b, base + off, idSize)) {
                    count++;
                }
            }
            return count;
        }
    }

    /** The layouts of the classes dumped so far (in {@code parts}), for a parallel run's threads. */
    private InstanceRefs instanceRefs(List<Part> parts) {
        List<ClassDump> dumps = new ArrayList<>();
        for (Part p : parts) {
            dumps.addAll(p.classDumps);
        }
        if (dumps.isEmpty()) {
            return null;
        }
        Map<Long, ClassDump> byId = firstOfEachId(dumps);
        long[] mirrors = new long[byId.size()];
        int m = 0;
        for (long id : byId.keySet()) {
            mirrors[m++] = id;
        }
        Arrays.sort(mirrors);
        InstanceRefs refs = new InstanceRefs(byId.size(), mirrors);
        int k = 0;
        for (ClassDump d : byId.values()) {
            Layout l = layout(d, byId);
            if (l.complete) {
                refs.index.put(d.id, k);
                refs.bytes[k] = l.hprofBytes;
                refs.offsets[k] = l.refOffsets;
                k++;
            }
        }
        return refs;
    }

    /** The first CLASS_DUMP of each class id, the one that counts (a damaged dump may repeat one). */
    private static Map<Long, ClassDump> firstOfEachId(List<ClassDump> dumps) {
        Map<Long, ClassDump> byId = new HashMap<>();
        for (ClassDump d : dumps) {
            byId.putIfAbsent(d.id, d);
        }
        return byId;
    }

    /**
     * Whether finding a run's segments from their headers ({@code bytes} of segments found in {@code nanos})
     * costs more than reading on several threads saves. A header takes ~2 µs from the page cache and ~75 µs
     * from this machine's disk: for HotSpot's 1 MB segments, 500 and 14 bytes of dump a nanosecond (5,426 headers
     * of the 5.69 GB dump in 0.38 s from the disk, after which two threads read it in 3.9 s against one in
     * 7.3 s). Segments of 64 KB from that disk (0.9 bytes a nanosecond), or a disk that seeks for each header
     * (~8 ms: 0.1), would take about as long to find as to read the dump (~1 byte a nanosecond). Given up past
     * 50 ms at fewer than 4 bytes a nanosecond (0.25 ns a byte, against the 0.6 that two threads saved reading
     * the 5.69 GB dump from the disk), to read on one thread.
     */
    static boolean tooSlow(long nanos, long bytes) {
        return nanos > 50_000_000 && bytes < 4 * nanos;
    }

    /** The segment whose body is {@code g}, of a plain dump, into the split's last part. */
    private void scanSegment(HprofSource s, long[] g, Split split) throws IOException, Corrupt {
        s.seek(g[0]);
        split.last().segments.add(new long[]{g[0], g[1]});
        scan(s, g[1], split);
    }

    /** One thread's segments of a run, into {@code part}, stopping at the first that fails (noted in the part). */
    private void scanGroup(List<long[]> group, Part part) throws IOException {
        try (HprofSource src = new HprofSource(FileChannel.open(file, StandardOpenOption.READ))) {
            Split alone = new Split(part);
            try {
                for (long[] g : group) {
                    scanSegment(src, g, alone);
                    advance(1, g[1] - g[0]);
                }
            } catch (Corrupt | EOFException e) {
                part.error = "offset " + src.offset() + ": " + e.getMessage();
            }
            part.end = src.offset();
        }
    }

    /** Where pass 1 cuts the next part and reports progress next, and the parts so far. */
    private final class Split {
        final List<Part> parts;
        final int wanted;
        long total;     // the dump's size; a compressed dump's inflated size as estimated so far (aim)
        long nextSplit;
        long nextReport = 64 << 20;
        long next; // the nearer of the two: one comparison a sub-record
        // whether instanceRefs holds the layouts of the classes read before the first instance (a parallel
        // run's threads are given them: they never learn)
        boolean layoutsKnown;

        Split(List<Part> parts, int wanted) {
            this.parts = parts;
            this.wanted = wanted;
            total = gzip ? Long.MAX_VALUE : fileSize;
            nextSplit = wanted > 1 && !gzip ? fileSize / wanted : Long.MAX_VALUE;
            next = Math.min(nextSplit, nextReport);
        }

        /** One part's, on a thread of a parallel run (which reports its progress by segment): no cuts, no reports. */
        Split(Part only) {
            this.parts = List.of(only);
            this.wanted = 1;
            layoutsKnown = true;
            total = Long.MAX_VALUE;
            nextSplit = nextReport = next = Long.MAX_VALUE;
        }

        /** Once a run is to be read in parallel: its parts are the cuts, the rest goes to the last part. */
        void noMoreCuts() {
            nextSplit = Long.MAX_VALUE;
            next = nextReport;
        }

        /** After a run read in parallel up to {@code pos}. */
        void ranInParallel(long pos) {
            nextReport = pos + (64 << 20);
            next = nextReport;
        }

        /**
         * A compressed dump's parts are cut at fractions of its inflated size, known only at its end: estimated
         * from the ratio so far (at the first heap segment, then at each report), which is close enough for parts
         * of about equal work.
         */
        void aim(HprofSource s) {
            long read = s.gz.fileBytesRead();
            if (wanted > 1 && read > 0 && parts.size() < wanted) {
                total = (long) (s.offset() * ((double) fileSize / read));
                nextSplit = Math.max(s.offset(), total * parts.size() / wanted);
                next = Math.min(nextSplit, nextReport);
            }
        }

        Part last() {
            return parts.get(parts.size() - 1);
        }

        void report(HprofSource s) {
            progress.update(1, gzip ? s.gz.fileBytesRead() : s.offset(), fileSize);
            nextReport = s.offset() + (64 << 20);
            next = Math.min(nextSplit, nextReport);
            if (gzip) {
                aim(s);
            }
        }

        /** At a sub-record boundary {@code at} of a segment ending at {@code end}: a new part from here on. */
        void cut(long at, long end) {
            Part part = last();
            long[] segment = part.segments.get(part.segments.size() - 1);
            if (at > segment[0]) {
                segment[1] = at;
            } else if (part.segments.size() > 1) {
                part.segments.remove(part.segments.size() - 1);
            } else {
                return; // nothing read into this part yet: cut after its first sub-record
            }
            Part nextPart = new Part();
            nextPart.segments.add(new long[]{at, end});
            parts.add(nextPart);
            nextSplit = parts.size() < wanted && total != Long.MAX_VALUE ? total * parts.size() / wanted
                    : Long.MAX_VALUE;
            next = Math.min(nextSplit, nextReport);
        }
    }

    /** A record that is not part of the heap: strings and class names are kept, the rest skipped. */
    private void otherRecord(HprofSource s, int tag, long len, long recordAt) throws IOException, Corrupt {
        if (tag == UTF8) {
            if (len < idSize || len - idSize > (1 << 20)) {
                throw new Corrupt("string record of impossible length " + len + " at offset " + recordAt);
            }
            if (!s.ensure((int) len)) {
                throw new Corrupt("truncated string record at offset " + recordAt);
            }
            long id = s.id(idSize);
            int n = (int) (len - idSize);
            if (!strings.add(id, s.buf, s.pos, n) && !namesFull) {
                namesFull = true;
                warnings.add("the dump's names take more than 2 GB; names past offset " + recordAt + " read as unknown");
            }
            s.pos += n;
        } else if (tag == LOAD_CLASS) {
            if (len != 8 + 2L * idSize || !s.ensure((int) len)) {
                throw new Corrupt("bad LOAD_CLASS record at offset " + recordAt);
            }
            int serial = s.u4();
            long classId = s.id(idSize);
            s.u4();
            long nameId = s.id(idSize);
            classNameIds.put(classId, nameId);
            frames.classSerial(serial, nameId);
        } else if (tag == STACK_FRAME && len == 4L * idSize + 8 && s.ensure((int) len)) {
            frames.frame(s.id(idSize), s.id(idSize), s.id(idSize), s.id(idSize), s.u4(), s.u4());
        } else if (tag == STACK_TRACE && len >= 12 && (len - 12) % idSize == 0 && len - 12 <= (1 << 20)
                && s.ensure((int) len)) {
            s.u4();
            int thread = s.u4();
            int n = s.u4();
            if ((long) n * idSize != len - 12) {
                throw new Corrupt("stack trace of " + n + " frames in a record of " + len + " bytes at offset " + recordAt);
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = s.id(idSize);
            }
            frames.trace(thread, ids);
        } else {
            if (!isKnownSkipped(tag)) {
                warnings.add("skipped unknown record tag 0x" + Integer.toHexString(tag) + " at offset " + recordAt);
            }
            if (!s.skip(len)) {
                throw new Corrupt("record at offset " + recordAt + " ends after the end of the file");
            }
        }
    }

    /** Progress of the parts of pass 2, from whichever thread; reported every 64 MB (the end by the caller). */
    private void advance(int pass, long bytes) {
        long done = progressBytes.addAndGet(bytes);
        if ((done >>> 26) != ((done - bytes) >>> 26)) {
            synchronized (progress) {
                progress.update(pass, Math.min(done, fileSize), fileSize);
            }
        }
    }

    /** The parts' objects, roots and classes as one list each, in file order. */
    private void merge(List<Part> whole) {
        Part last = whole.get(whole.size() - 1);
        partialReason = last.error;
        bytesRead = last.end;
        long objects = 0;
        int roots = 0;
        for (Part p : whole) {
            objects += p.count;
            roots += p.rootCount;
        }
        if (objects > Integer.MAX_VALUE - 16) {
            throw new InputException(file + ": more than 2^31 objects; not supported");
        }
        rootIds = new long[roots];
        rootKinds = new byte[roots];
        rootFrames = new long[roots];
        idChunks = new ArrayList<>();
        idRange = new IdIndex.Range();
        Part before = null;
        for (Part p : whole) {
            if (before != null && before.lastClass >= 0 && p.any) {
                neighbours.size(instanceRefs.bytes.length);
                neighbours.observe(before.lastClass, Math.min(p.firstId, before.mirrorAbove(before.lastId))
                        - before.lastId);
            }
            neighbours.add(p.neighbours);
            before = p.any ? p : before;
            layoutSamples.add(p.sample);
            idRange.append(p.idRange);
            p.firstObject = objectCount;
            p.firstClassDump = classDumps.size();
            idChunks.addAll(p.idChunks);
            if (p.fill > 0) {
                idChunks.add(Arrays.copyOf(p.ids, p.fill));
            }
            p.idChunks.clear();
            p.ids = null;
            objectCount += p.count;
            System.arraycopy(p.rootIds, 0, rootIds, rootCount, p.rootCount);
            System.arraycopy(p.rootKinds, 0, rootKinds, rootCount, p.rootCount);
            System.arraycopy(p.rootFrames, 0, rootFrames, rootCount, p.rootCount);
            rootCount += p.rootCount;
            classDumps.addAll(p.classDumps);
        }
        parts = whole;
    }

    /** Waits for {@code task}, rethrowing what it threw as it was (an OutOfMemoryError stays one). */
    private static void await(java.util.concurrent.Future<?> task) throws IOException {
        try {
            task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the dump");
        }
    }

    /**
     * What another thread threw, thrown again on this one as what it is (an OutOfMemoryError stays one, for
     * the one line that names the heap to ask for); only a checked exception other than IOException is wrapped.
     */
    static IOException rethrown(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        }
        return t instanceof IOException io ? io : new IOException(t);
    }

    /** Runs pass 2 of every part, on up to {@link #threads} threads (the calling thread when there is one part). */
    private void decodeInParallel(List<Pass2> parts) throws IOException {
        if (parts.size() == 1) {
            parts.get(0).runPart();
            return;
        }
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (Pass2 p : parts) {
            tasks.add(() -> {
                p.runPart();
                return null;
            });
        }
        inParallel(tasks, threads);
    }

    /** Runs {@code tasks} on up to {@code threads} threads and waits for all; the first failure is thrown. */
    private static void inParallel(List<java.util.concurrent.Callable<Void>> tasks, int threads) throws IOException {
        if (tasks.isEmpty()) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(threads, tasks.size()), r -> {
                    Thread t = new Thread(r, "leakscope-hprof");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean isKnownSkipped(int tag) {
        for (int t : KNOWN_SKIPPED) {
            if (t == tag) {
                return true;
            }
        }
        return false;
    }

    private int typeSize(int type) throws Corrupt {
        switch (type) {
            case 2:
                return idSize;
            case 4:
            case 8:
                return 1;
            case 5:
            case 9:
                return 2;
            case 6:
            case 10:
                return 4;
            case 7:
            case 11:
                return 8;
            default:
                throw new Corrupt("unknown basic type " + type);
        }
    }

    /**
     * Pass 1 of one HEAP_DUMP(_SEGMENT) ending at {@code end}: collects ids, roots and classes into
     * {@code part}. Pass 2 has its own walk ({@link Pass2#decode}): one shared method would be compiled for
     * pass 1's branches, thrown away and compiled again for pass 2's, costing a core-second of JIT per dump.
     */
    private void scan(HprofSource s, long end, Split split) throws IOException, Corrupt {
        final int idSize = this.idSize;
        InstanceRefs refs = instanceRefs;
        long lastClassId = -1;
        int k = -1;
        Part part = split.last();
        long next = split.next;
        while (s.offset() < end) {
            if (!s.ensure(1)) {
                throw new EOFException("heap dump record ends after the end of the file");
            }
            long at = s.offset();
            if (at >= next) {
                if (at >= split.nextSplit) {
                    split.cut(at, end);
                    part = split.last();
                }
                if (at >= split.nextReport) {
                    split.report(s);
                }
                next = split.next;
            }
            int sub = s.u1();
            switch (sub) {
                case 0xFF:
                case 0x05:
                case 0x07:
                    root(s, sub, 0, part);
                    break;
                case 0x01:
                    root(s, sub, idSize, part);
                    break;
                case 0x04:
                case 0x06:
                    root(s, sub, 4, part);
                    break;
                case 0x02:
                case 0x03:
                case 0x08:
                    root(s, sub, 8, part);
                    break;
                case CLASS_DUMP:
                    classDump(s, at, part, null);
                    break;
                case INSTANCE_DUMP: {
                    need(s, 2 * idSize + 8);
                    long id = s.id(idSize);
                    s.u4();
                    long classId = s.id(idSize);
                    long n = s.u4() & 0xffffffffL;
                    if (!split.layoutsKnown) {
                        // the first instance: HotSpot has written every CLASS_DUMP before it
                        split.layoutsKnown = true;
                        refs = instanceRefs = instanceRefs(split.parts);
                    }
                    // as pass 2 reads references: by the class's layout, when the record has its length. Runs
                    // of one class are common (a dump walks the heap in address order): one lookup a run
                    if (classId != lastClassId) {
                        lastClassId = classId;
                        k = refs == null ? -1 : refs.index.get(classId);
                    }
                    if (k >= 0 && n == refs.bytes[k] && n <= s.buf.length && s.ensure((int) n)) {
                        part.instanceRefs += refs.nonNull(k, s.buf, s.pos, idSize);
                        s.pos += (int) n;
                    } else if (!s.skip(n)) {
                        throw new EOFException("instance at offset " + at + " ends after the end of the file");
                    } else {
                        part.instancesPerClass.increment(classId);
                    }
                    if (!part.sample.full()) {
                        part.sample.instance(id, classId);
                    }
                    part.addInstance(id, k, refs);
                    break;
                }
                case OBJ_ARRAY_DUMP: {
                    need(s, 2 * idSize + 8);
                    long id = s.id(idSize);
                    s.u4();
                    long length = s.u4() & 0xffffffffL;
                    s.pos += idSize; // class
                    long nonNull = nonNullIds(s, length, idSize);
                    if (nonNull < 0) {
                        throw new EOFException("object array at offset " + at + " ends after the end of the file");
                    }
                    if (!part.sample.full()) {
                        part.sample.array(id, length, 0);
                    }
                    part.addObject(id);
                    part.arrayElements += nonNull;
                    break;
                }
                case PRIM_ARRAY_DUMP: {
                    need(s, idSize + 9);
                    long id = s.id(idSize);
                    s.u4();
                    long length = s.u4() & 0xffffffffL;
                    int type = s.u1();
                    if (type == 2 || PRIMITIVE_ARRAY_NAMES.length <= type || PRIMITIVE_ARRAY_NAMES[type] == null) {
                        throw new Corrupt("primitive array of unknown type " + type + " at offset " + at);
                    }
                    if (!s.skip(length * typeSize(type))) {
                        throw new EOFException("primitive array at offset " + at + " ends after the end of the file");
                    }
                    if (!part.sample.full()) {
                        part.sample.array(id, length, typeSize(type));
                    }
                    part.addObject(id);
                    break;
                }
                default:
                    // no length to skip by: the rest of this segment cannot be read
                    throw new Corrupt("unknown heap dump sub-record 0x" + Integer.toHexString(sub) + " at offset " + at);
            }
        }
        if (s.offset() != end) {
            throw new Corrupt("heap dump segment overruns its length (ends at " + end + ")");
        }
    }

    /**
     * How many of the next {@code length} ids are not null, read past; -1 (at the end of the file) when they do
     * not all fit. Pass 2 keeps no null references, so these, not the arrays' lengths, bound its reference
     * arrays: in a real dump of a service (the listeners sample) more than half of the array elements were
     * null, and the bound was 1.67 times the references.
     */
    private static long nonNullIds(HprofSource s, long length, int idSize) throws IOException {
        long count = 0;
        long left = length * idSize;
        int most = s.buf.length / 2 / 8 * 8;
        while (left > 0) {
            int chunk = (int) Math.min(left, most);
            if (!s.ensure(chunk)) {
                s.skip(left); // to the end of the file, where a skip over the whole array would have left it
                return -1;
            }
            byte[] b = s.buf;
            int end = s.pos + chunk;
            for (int p = s.pos; p < end; p += idSize) {
                if (!isNullId(b, p, idSize)) {
                    count++;
                }
            }
            s.pos = end;
            left -= chunk;
        }
        return count;
    }

    /** Whether the id of {@code idSize} bytes at {@code p} is 0, the null reference. */
    private static boolean isNullId(byte[] b, int p, int idSize) {
        return idSize == 8 ? (long) LONG_BE.get(b, p) == 0 : (int) INT_BE.get(b, p) == 0;
    }

    private static void need(HprofSource s, int n) throws IOException {
        if (!s.ensure(n)) {
            throw new EOFException("record ends after the end of the file");
        }
    }

    private void root(HprofSource s, int kind, int extra, Part part) throws IOException {
        need(s, idSize + extra);
        long id = s.id(idSize);
        if (kind == 0x02 || kind == 0x03) {
            // a JNI local or a Java frame's local variable: the thread's serial and the frame's depth in its stack
            part.addRoot(id, kind, (long) s.u4() << 32 | (s.u4() & 0xffffffffL));
        } else {
            s.pos += extra;
            part.addRoot(id, kind, -1);
        }
    }

    private void classDump(HprofSource s, long at, Part part, Pass2 p2) throws IOException, Corrupt {
        need(s, 7 * idSize + 8);
        long id = s.id(idSize);
        s.u4();
        long superId = s.id(idSize);
        long loaderId = s.id(idSize);
        s.pos += 4 * idSize;
        int instanceSize = s.u4();
        need(s, 2);
        int cp = s.u2();
        for (int i = 0; i < cp; i++) {
            need(s, 3);
            s.u2();
            int t = s.u1();
            skipValue(s, t);
        }
        need(s, 2);
        int statics = s.u2();
        List<String> staticRefNames = new ArrayList<>();
        long[] staticRefIds = new long[statics];
        int staticBytes = 0;    // primitive statics
        int staticFieldRefs = 0;
        int nRef = 0;
        for (int i = 0; i < statics; i++) {
            need(s, idSize + 1);
            long nameId = s.id(idSize);
            int t = s.u1();
            if (t == 2) {
                need(s, idSize);
                long v = s.id(idSize);
                if (p2 == null) {
                    String name = nameString(nameId);
                    staticRefNames.add(name);
                    staticRefIds[nRef++] = v;
                    // HotSpot lists what its class metadata holds as statics of these names: referenced by
                    // the class, but no field of its mirror (JDK 8 lists the initialisation lock last, as
                    // "init_lock", an injected field of the mirror, whose bytes the mirror's fixed part counts)
                    if (!name.equals("<resolved_references>") && !name.equals("<init_lock>")
                            && !(name.equals("init_lock") && i == statics - 1)) {
                        staticFieldRefs++;
                    }
                }
            } else {
                staticBytes += typeSize(t);
                skipValue(s, t);
            }
        }
        need(s, 2);
        int fields = s.u2();
        long[] fieldNames = new long[fields];
        byte[] fieldTypes = new byte[fields];
        for (int i = 0; i < fields; i++) {
            need(s, idSize + 1);
            fieldNames[i] = s.id(idSize);
            fieldTypes[i] = (byte) s.u1();
            typeSize(fieldTypes[i]);
        }
        if (p2 == null) {
            part.classDumps.add(new ClassDump(id, superId, loaderId, instanceSize, fieldNames, fieldTypes,
                    staticRefNames.toArray(new String[0]), Arrays.copyOf(staticRefIds, nRef), staticBytes,
                    staticFieldRefs));
            if (!part.sample.full()) {
                part.sample.other(id);
            }
            part.addObject(id);
        } else {
            p2.classObject();
        }
    }

    private void skipValue(HprofSource s, int type) throws IOException, Corrupt {
        int n = typeSize(type);
        need(s, n);
        s.pos += n;
    }

    private String nameString(long nameId) {
        String n = strings.get(nameId);
        return n == null ? "<name 0x" + Long.toHexString(nameId) + ">" : n;
    }

    /** "java/util/HashMap$Node" → "java.util.HashMap$Node", "[Ljava/lang/Object;" → "java.lang.Object[]". */
    static String javaName(String hprofName) {
        int dims = 0;
        while (dims < hprofName.length() && hprofName.charAt(dims) == '[') {
            dims++;
        }
        String base = hprofName.substring(dims);
        if (dims > 0) {
            if (base.startsWith("L") && base.endsWith(";")) {
                base = base.substring(1, base.length() - 1);
            } else if (base.length() == 1) {
                base = switch (base.charAt(0)) {
                    case 'Z' -> "boolean";
                    case 'C' -> "char";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    case 'B' -> "byte";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    default -> base;
                };
            }
        }
        // concat, not `+`: no call site to link in a fresh JVM (see Frames.describe)
        return dims == 0 ? base.replace('/', '.') : base.replace('/', '.').concat("[]".repeat(dims));
    }

    private record ClassDump(long id, long superId, long loaderId, int hprofInstanceSize, long[] fieldNames,
                             byte[] fieldTypes, String[] staticRefNames, long[] staticRefIds, int staticBytes,
                             int staticFieldRefs) {
    }

    // ------------------------------------------------------------------------------------------ layouts

    private ObjectLayout.Inferred inferred;
    private ObjectLayout layout;
    // a class object is its mirror: a java.lang.Class instance (with the fields HotSpot injects, which the
    // neighbours of the primitive types' mirrors, dumped as instances, measure, or the model gives) and the
    // class's statics after it
    private long mirrorBase = -1;
    // no instance measured below this size: a collector's smallest block, not the classes' (Neighbours.smallestGap)
    private long smallestGap;
    private int jdk; // jdkFloor(), for the injected fields' model

    private LongIntMap buildClasses(List<HeapGraph.ClassInfo> out) {
        Map<Long, ClassDump> byId = firstOfEachId(classDumps);
        // a 32-bit JVM's layout is known, but not what it adds to a class's fields: HotSpot up to JDK 14 starts a
        // subclass's fields at a 4-byte boundary, so a hierarchy of byte fields takes 4 bytes a class, which only
        // the instances' addresses show (against MAT's 32-bit JDK 5 and 6 test dumps' class histograms)
        Map<Long, Long> fields = new HashMap<>();
        // every class's instances, as close as they came to the object above them (none overlaps it)
        long[] boundClasses = new long[byId.size()];
        long[] boundMins = new long[byId.size()];
        int bounds = 0;
        for (ClassDump d : byId.values()) {
            int k = instanceRefs == null ? -1 : instanceRefs.index.get(d.id);
            if (k >= 0 && k < neighbours.min.length && neighbours.count[k] > 0) {
                boundClasses[bounds] = d.id;
                boundMins[bounds++] = neighbours.min[k];
            }
        }
        inferred = ObjectLayout.infer(layoutSamples, classId -> fields.computeIfAbsent(classId, id -> {
            ClassDump d = byId.get(id);
            Layout l = d == null ? null : layout(d, byId);
            if (l == null || !l.complete()) {
                return -1L;
            }
            int refs = l.refOffsets().length;
            return (long) (l.hprofBytes() + refs * (4 - idSize)) << 32 | refs;
        }), idSize == 4 ? ObjectLayout.THIRTY_TWO_BIT : ObjectLayout.guess(idRange.max),
                Arrays.copyOf(boundClasses, bounds), Arrays.copyOf(boundMins, bounds));
        layoutSamples.clear();
        layout = inferred.layout();
        LongIntMap index = new LongIntMap(classDumps.size() * 2 + 16);
        Map<Long, long[]> sizes = new HashMap<>();
        smallestGap = neighbours.smallestGap();
        jdk = jdkFloor();
        for (ClassDump d : classDumps) {
            if (index.get(d.id) >= 0) {
                continue;
            }
            Layout l = layout(d, byId);
            index.put(d.id, out.size());
            String name = javaName(className(d.id));
            long size = instanceSize(d, l, byId, sizes, 0)[1];
            if (name.equals("java.lang.Class")) {
                mirrorBase = size;
            }
            out.add(new HeapGraph.ClassInfo(d.id, name, d.superId, d.loaderId, l.refNames, l.refOffsets, l.hprofBytes,
                    sizeInt(size), d.staticRefNames, l.referentSlot, l.stackWordsOffset));
        }
        neighbours.min = new long[0];
        neighbours.count = new int[0];
        neighbours.seen = new int[0];
        return index;
    }

    /**
     * The instance size of class {@code d}: its layout's, corrected by its instances' neighbours in the dump when
     * the layout was read off the addresses ({@link ObjectLayout#instanceSize(long, long, long, int, int, boolean,
     * boolean)}); a class whose own instances tell nothing gets its superclass's correction (padding and what the
     * model misses are inherited), unless that superclass is a root that declares no field (java.lang.Object: nothing
     * to inject or pad, and its few instances, locks made at any time, are the likeliest to be followed by an object
     * not listed beside them). {@code l} is its layout, or null to work it out. Memoised in {@code sizes}, by class
     * id: {the size its correction is measured from, the size, the bytes HotSpot injects into it and its
     * superclasses, its field bytes}.
     */
    private long[] instanceSize(ClassDump d, Layout l, Map<Long, ClassDump> byId, Map<Long, long[]> sizes,
                                int depth) {
        long[] known = sizes.get(d.id);
        if (known != null) {
            return known;
        }
        if (l == null) {
            l = layout(d, byId);
        }
        long fieldBytes = before15() ? fieldsEndBefore15(d, byId, -1) - layout.header()
                : l.hprofBytes + (long) l.refOffsets.length * (layout.oop() - idSize);
        String name = javaName(className(d.id));
        // HotSpot's own fields, which HPROF leaves out (before 15 among the field bytes, where they are laid out)
        long own = before15() ? 0 : layout.injectedBytes(name, idSize, l.refNames, jdk);
        long[] s = null;
        ClassDump sup = byId.get(d.superId);
        if (sup != null && (sup.fieldTypes.length > 0 || byId.containsKey(sup.superId)) && depth <= 256) {
            s = instanceSize(sup, null, byId, sizes, depth + 1);
        }
        long inherited = s == null ? 0 : Math.max(0, s[1] - s[0]);
        // from JDK 15 on HotSpot packs a class's fields, the injected ones too, into its superclasses' gaps, so what
        // they inject is carried over in bytes (a Thread subclass's boolean on JDK 21+ goes where Thread's injected
        // fields leave room, or after them); before 15 each class's fields, the injected ones among them, start at a
        // reference-size boundary after its superclass's (fieldsEndBefore15), and what the model misses (padding)
        // is inherited in whole words
        long injected = own + (s == null || before15() ? 0 : s[2]);
        long modelled = layout.instanceSize(fieldBytes + injected);
        long base = before15() ? layout.instanceSize(fieldBytes) : modelled;
        long size = modelled + inherited;
        if (inherited >= ObjectLayout.CONTENDED_PADDING) {
            // behind a superclass padded for @Contended, HotSpot lays the class's own fields after the padding, not
            // in its superclass's gaps: JDK 17's FinalizerThread (a boolean) is 8 bytes more than Thread's 408 (ZGC);
            // before 15 from the superclass's end on, as ever (JDK 13's, 376 after Thread's 368, with Shenandoah)
            size = before15() ? layout.instanceSize(fieldsEndBefore15(d, byId, s[1]) - layout.header())
                    : layout.instanceSize(s[1] - layout.header() + fieldBytes - s[3] + own);
        }
        // the JDK pads these with @Contended: 128 bytes before the field group it lays out last and 128 after
        // (ForkJoinPool and its WorkQueue, JDK 17-27, Thread before JDK 19), 128 more for a second group. From JDK
        // 15's layout on laid out field by field, as HotSpot does (a gap the regular fields leave stays empty: JDK
        // 21's ZGC ForkJoinPool 392 bytes, not 384); before, their fields and the paddings, measured by neighbours
        int paddings = ObjectLayout.contendedPaddings(name, jdk);
        boolean padded = paddings > 0;
        long laidOut = padded && !before15() && own == 0 ? contendedSize(d, name, l) : -1;
        size = laidOut > 0 ? laidOut : size + (long) paddings * ObjectLayout.CONTENDED_PADDING;
        int k = instanceRefs == null ? -1 : instanceRefs.index.get(d.id);
        // a stack chunk's size is its own (its stack follows its fields): its neighbours do not measure the class
        if (inferred.fromAddresses() && k >= 0 && k < neighbours.min.length && !name.equals(STACK_CHUNK)
                && size >= smallestGap) {
            size = layout.instanceSize(size, 0, neighbours.min[k], neighbours.count[k], neighbours.seen[k],
                    inferred.addressOrder(), before15() ? 16 : padded && laidOut < 0 ? layout.alignment() : 0);
        }
        long[] out = {base, size, injected, fieldBytes};
        sizes.put(d.id, out);
        return out;
    }

    /**
     * A class padded with {@code @Contended}, laid out field by field as HotSpot does from JDK 15 on ({@link
     * ObjectLayout#contendedInstanceSize}), or -1 where its superclasses declare fields (their gaps would take some
     * of its fields: not modelled, and no such class in the JDK).
     */
    private long contendedSize(ClassDump d, String name, Layout l) {
        int n = d.fieldTypes.length;
        int[] sizes = new int[n];
        boolean[] refs = new boolean[n];
        int[] groups = new int[n];
        List<String> declared = new ArrayList<>(n);
        long hprofBytes = 0;
        for (int f = 0; f < n; f++) {
            declared.add(nameString(d.fieldNames[f]));
            refs[f] = d.fieldTypes[f] == 2;
            sizes[f] = refs[f] ? layout.oop() : typeSizeOf(d.fieldTypes[f]);
            hprofBytes += refs[f] ? idSize : sizes[f];
        }
        if (hprofBytes != l.hprofBytes) {
            return -1;
        }
        for (int f = 0; f < n; f++) {
            groups[f] = ObjectLayout.contendedGroup(name, declared.get(f), jdk, declared);
        }
        return layout.contendedInstanceSize(sizes, refs, groups);
    }

    /** A primitive field's bytes by its HPROF basic type (checked when its class dump was read). */
    private static int typeSizeOf(byte type) {
        return switch (type) {
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            default -> 8;
        };
    }

    /**
     * An instance's record as HPROF writes it: its reference fields (names, byte offsets) and its bytes, this
     * class's fields first, then each superclass's (the first CLASS_DUMP of each id); complete when the walk
     * reached a class without a superclass. The referent of java.lang.ref.Reference is noted: it holds nothing
     * strongly. {@code stackWordsOffset}: where in the record a {@code jdk.internal.vm.StackChunk} keeps its
     * stack's size in words (its int field {@code size}), else -1.
     */
    private record Layout(String[] refNames, int[] refOffsets, int hprofBytes, int referentSlot, boolean complete,
                          int stackWordsOffset) {
    }

    private Layout layout(ClassDump d, Map<Long, ClassDump> byId) {
        List<String> refNames = new ArrayList<>();
        List<Integer> refOffsets = new ArrayList<>();
        int hprofBytes = 0;
        int referentSlot = -1;
        int stackWordsOffset = -1;
        boolean complete = false;
        ClassDump c = d;
        for (int depth = 0; c != null && depth < 256; depth++) {
            String cname = javaName(className(c.id));
            for (int f = 0; f < c.fieldTypes.length; f++) {
                int t = c.fieldTypes[f];
                int size;
                try {
                    size = typeSize(t);
                } catch (Corrupt e) {
                    size = 0;
                }
                if (t == 10 && cname.equals(STACK_CHUNK) && nameString(c.fieldNames[f]).equals("size")) {
                    stackWordsOffset = hprofBytes;
                }
                if (t == 2) {
                    String fname = nameString(c.fieldNames[f]);
                    if (cname.equals("java.lang.ref.Reference") && fname.equals("referent")) {
                        referentSlot = refNames.size();
                    }
                    refNames.add(fname);
                    refOffsets.add(hprofBytes);
                }
                hprofBytes += size;
            }
            complete = c.superId == 0;
            c = complete ? null : byId.get(c.superId);
        }
        int[] offs = new int[refOffsets.size()];
        for (int i = 0; i < offs.length; i++) {
            offs[i] = refOffsets.get(i);
        }
        return new Layout(refNames.toArray(new String[0]), offs, hprofBytes, referentSlot, complete, stackWordsOffset);
    }

    /**
     * Where {@code d}'s fields end as HotSpot laid them out before JDK 15 ({@link ObjectLayout#fieldsEndBefore15}),
     * with those it injects; from {@code start} on, its own fields only, unless {@code start} is negative.
     */
    private long fieldsEndBefore15(ClassDump d, Map<Long, ClassDump> byId, long start) {
        List<int[]> chain = new ArrayList<>();
        for (ClassDump c = d; c != null && chain.size() < 256; c = c.superId == 0 ? null : byId.get(c.superId)) {
            // longs and doubles, ints and floats, shorts and chars, bytes and booleans, refs; references first
            int[] counts = new int[6];
            for (byte t : c.fieldTypes) {
                switch (t) {
                    case 7, 11 -> counts[0]++;
                    case 6, 10 -> counts[1]++;
                    case 5, 9 -> counts[2]++;
                    case 4, 8 -> counts[3]++;
                    case 2 -> counts[4]++;
                    default -> { }
                }
            }
            String name = javaName(className(c.id));
            int[] injected = layout.injectedFieldsBefore15(name, idSize, jdk);
            for (int i = 0; i < injected.length; i++) {
                counts[i] += injected[i];
            }
            counts[5] = ObjectLayout.OOPS_FIRST_BEFORE_15.contains(name) ? 1 : 0;
            chain.add(counts);
        }
        java.util.Collections.reverse(chain);
        return start < 0 ? layout.fieldsEndBefore15(chain) : layout.fieldsEndBefore15(start, chain.subList(
                chain.size() - 1, chain.size()));
    }

    /**
     * Whether the dump's JVM laid fields out as HotSpot did before JDK 15: its java.lang.Class declares no
     * {@code classData}, which JDK 15 added with hidden classes (JEP 371) in the release that replaced the field
     * layout (JDK-8237767). Known by the instances' neighbours where the dump lists objects by address; the model
     * for the rest: classes without a measured instance, CMS's smallest objects, ZGC's and Shenandoah's dumps.
     */
    private boolean before15() {
        if (before15 == null) {
            before15 = false;
            for (ClassDump c : classDumps) {
                if (className(c.id).equals("java/lang/Class")) {
                    boolean classData = false;
                    for (long f : c.fieldNames) {
                        classData |= "classData".equals(nameString(f));
                    }
                    before15 = !classData;
                    break;
                }
            }
        }
        return before15;
    }

    private Boolean before15;

    /** Whether the dump is of JDK 19 or later: it lists Thread$FieldHolder, which every Thread has there. */
    private boolean hasVirtualThreads() {
        if (virtualThreads == null) {
            virtualThreads = false;
            for (long nameId : classNameIds.values()) {
                if ("java/lang/Thread$FieldHolder".equals(strings.get(nameId))) {
                    virtualThreads = true;
                    break;
                }
            }
        }
        return virtualThreads;
    }

    private Boolean virtualThreads;

    /**
     * The oldest JDK the dump can be of, as far as the injected fields' model needs it: 8 (before 15, by {@link
     * #before15}), 13 (before 15, String declares {@code hashIsZero}), 15, 19 ({@link #hasVirtualThreads}), 24
     * (Class declares {@code signers}, as from 24 on) or 27 (Thread$FieldHolder declares {@code nativeThreadID}).
     */
    private int jdkFloor() {
        if (before15()) {
            return declares("java/lang/String", "hashIsZero") ? 13 : 8;
        }
        if (!hasVirtualThreads()) {
            return 15;
        }
        if (declares("java/lang/Thread$FieldHolder", "nativeThreadID")) {
            return 27;
        }
        return declares("java/lang/Class", "signers") ? 24 : 19;
    }

    /** Whether the first CLASS_DUMP of the class named {@code className} declares an instance field {@code field}. */
    private boolean declares(String className, String field) {
        for (ClassDump c : classDumps) {
            if (className(c.id).equals(className)) {
                for (long f : c.fieldNames) {
                    if (field.equals(nameString(f))) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private String className(long classId) {
        Long nameId = classNameIds.get(classId);
        return nameId == null ? "<class 0x" + Long.toHexString(classId) + ">" : nameString(nameId);
    }

    private static int sizeInt(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    // ------------------------------------------------------------------------------------------ pass 2

    /** The graph's arrays; the parts of pass 2 fill them side by side, each its own objects and references. */
    private final class Tables {
        IdIndex ids;
        final List<HeapGraph.ClassInfo> classes;
        final LongIntMap classIndex;
        final int n = objectCount;
        // the per-object facts the report reads most stay on the heap (9 bytes an object); the rest may be mapped
        byte[] kind;
        int[] classOf;
        int[] shallow;
        IntArray refStart;
        IntArray refs;
        IntArray slots;
        ArraySpace space;
        final int primitiveBase;
        final int unknownClass;
        final byte[] referenceStrength; // by class: HeapGraph.SOFT to PHANTOM for a Reference class, else 0

        Tables(List<HeapGraph.ClassInfo> classes, LongIntMap classIndex) {
            this.classes = classes;
            this.classIndex = classIndex;
            this.primitiveBase = classes.size();
            for (String name : PRIMITIVE_ARRAY_NAMES) {
                classes.add(new HeapGraph.ClassInfo(0, name == null ? "<none>" : name, 0, 0, new String[0],
                        new int[0], 0, 0, new String[0], -1, -1));
            }
            this.unknownClass = classes.size();
            classes.add(new HeapGraph.ClassInfo(0, "<unknown class>", 0, 0, new String[0], new int[0], 0, layout.header(),
                    new String[0], -1, -1));
            referenceStrength = new byte[classes.size()];
            for (int c = 0; c < primitiveBase; c++) {
                if (classes.get(c).referentSlot >= 0) {
                    referenceStrength[c] = strengthOf(c);
                }
            }
        }

        /** How strongly a Reference class holds its referent: by its superclasses, HeapGraph.SOFT to PHANTOM. */
        private byte strengthOf(int c) {
            for (int depth = 0; c >= 0 && depth < 256; depth++) {
                switch (classes.get(c).name) {
                    case "java.lang.ref.SoftReference":
                        return HeapGraph.SOFT;
                    case "java.lang.ref.WeakReference":
                        return HeapGraph.WEAK;
                    case "java.lang.ref.FinalReference":
                        return HeapGraph.FINAL;
                    case "java.lang.ref.PhantomReference":
                        return HeapGraph.PHANTOM;
                    default:
                        c = classes.get(c).superId == 0 ? -1 : classIndex.get(classes.get(c).superId);
                }
            }
            return HeapGraph.WEAK;
        }

        /**
         * At most this many references come from {@code p}: every reference field of its instances, every
         * element of its object arrays, the statics and loader of its classes. One allocation for all parts
         * instead of growing through copies, and each part writes into its own range of it.
         */
        long edgeBound(Part p) {
            long bound = p.arrayElements + p.instanceRefs + 16;
            for (int c = 0; c < primitiveBase; c++) {
                HeapGraph.ClassInfo ci = classes.get(c);
                bound += (long) Math.max(0, p.instancesPerClass.get(ci.id)) * ci.refOffsets.length;
            }
            for (ClassDump d : p.classDumps) {
                bound += d.staticRefIds.length + 1;
            }
            return bound;
        }

        void allocate(ArraySpace space, long edgeBound) {
            this.space = space;
            kind = new byte[n];
            classOf = new int[n];
            shallow = new int[n];
            refStart = space.ints(n + 1);
            int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, edgeBound));
            refs = space.ints(cap);
            slots = space.ints(cap);
        }

        /** Moves each part's references down to follow the previous part's; returns how many there are. */
        int compact(List<Pass2> p2s) {
            int cursor = p2s.get(0).edgeCount;
            for (int k = 1; k < p2s.size(); k++) {
                Pass2 q = p2s.get(k);
                int count = q.edgeCount - q.firstEdge;
                int shift = q.firstEdge - cursor;
                if (shift != 0) {
                    refs.copyWithin(q.firstEdge, cursor, count);
                    slots.copyWithin(q.firstEdge, cursor, count);
                    for (int o = q.part.firstObject + 1; o <= q.limit; o++) {
                        refStart.getAndAdd(o, -shift);
                    }
                }
                cursor += count;
            }
            return cursor;
        }
    }

    /** Pass 2 of one part: decodes its objects into the tables, resolving every reference to an index. */
    private final class Pass2 {
        final Tables t;
        final Part part;
        final IdIndex ids;
        final LongIntMap classIndex;
        final List<HeapGraph.ClassInfo> classes;
        final boolean grows;     // the only part: its reference array may grow
        final int limit;         // one past this part's last object
        final int firstEdge;
        int edgeEnd;
        int edgeCount;
        int object;
        int classDumpCursor;
        long lastClassId = -1;
        int lastClass = -1;
        long dangling;
        // the object arrays that had dangling references, with how many (the first few thousand): where one is
        // held as a JNI global, the findings can say what it is (see read)
        int danglingHere;
        final List<Long> danglingArrays = new ArrayList<>(); // object index << 32 | count
        long badInstances;
        int[] referents = new int[24]; // triples: a java.lang.ref.Reference, its referent, how strongly it holds it
        int referentCount;
        final SecretScanner secrets;

        Pass2(Tables t, Part part, boolean keepSecretValues, boolean grows) {
            this.t = t;
            this.part = part;
            this.ids = t.ids;
            this.classIndex = t.classIndex;
            this.classes = t.classes;
            this.grows = grows;
            this.object = part.firstObject;
            this.limit = part.firstObject + part.count;
            this.firstEdge = (int) part.firstEdge;
            this.edgeCount = firstEdge;
            this.edgeEnd = grows ? t.refs.length : (int) Math.min(t.refs.length, firstEdge + t.edgeBound(part));
            this.classDumpCursor = part.firstClassDump;
            this.secrets = new SecretScanner(keepSecretValues);
        }

        boolean done() {
            return object >= limit;
        }

        /** A gzip stream, every record in order. */
        void runStream(HprofSource s) throws IOException {
            long lastReport = 0;
            try {
                while (!done()) {
                    if (!s.ensure(9)) {
                        break;
                    }
                    int tag = s.u1();
                    s.u4();
                    long len = s.u4() & 0xffffffffL;
                    if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
                        decode(s, s.offset() + len);
                    } else if (!s.skip(len)) {
                        break;
                    }
                    if (s.offset() - lastReport > (64 << 20)) {
                        lastReport = s.offset();
                        progress.update(2, s.gz.fileBytesRead(), fileSize);
                    }
                }
            } catch (Corrupt | EOFException | ZipException e) {
                // pass 1 already recorded where and why; objects past that point were not counted
            }
            fillRest();
            progress.update(2, fileSize, fileSize);
        }

        /** This part's segments, on its own file channel (a compressed dump's: runCompressedPart). */
        void runPart() throws IOException {
            if (gzip) {
                runCompressedPart();
                return;
            }
            try (HprofSource s = new HprofSource(FileChannel.open(file, StandardOpenOption.READ))) {
                for (long[] g : part.segments) {
                    if (done()) {
                        break;
                    }
                    s.seek(g[0]);
                    decode(s, g[1]);
                    advance(2, Math.min(g[1], fileSize) - g[0]);
                }
            } catch (Corrupt | EOFException e) {
                // pass 1 already recorded where and why; objects past that point were not counted
            }
            fillRest();
        }

        /**
         * This part's segments of a dump in HotSpot's gzip blocks: inflated from the start of the member holding
         * the first segment's first byte, skipping what lies between the segments.
         */
        void runCompressedPart() throws IOException {
            long first = part.segments.isEmpty() ? 0 : part.segments.get(0)[0];
            int m = Arrays.binarySearch(memberOffsets, first);
            m = m >= 0 ? m : Math.max(0, -m - 2); // the last member starting at or before `first`
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            GzipMembers members;
            try {
                members = new GzipMembers(channel, memberFileOffsets[m], memberOffsets[m], false);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            long reported = memberFileOffsets[m];
            try (HprofSource s = new HprofSource(members, members, memberOffsets[m])) {
                for (long[] g : part.segments) {
                    if (done() || !s.skip(g[0] - s.offset())) {
                        break;
                    }
                    decode(s, g[1]);
                    long read = members.fileBytesRead();
                    advance(2, read - reported);
                    reported = read;
                }
            } catch (Corrupt | EOFException | ZipException e) {
                // pass 1 already recorded where and why; objects past that point were not counted
            }
            fillRest();
        }

        /** Pass 2 of one HEAP_DUMP(_SEGMENT): pass 1 checked the records, this decodes the objects. */
        void decode(HprofSource s, long end) throws IOException, Corrupt {
            final int idSize = HprofReader.this.idSize;
            while (s.offset() < end && !done()) {
                if (!s.ensure(1)) {
                    throw new EOFException("heap dump record ends after the end of the file");
                }
                long at = s.offset();
                int sub = s.u1();
                switch (sub) {
                    case 0xFF, 0x05, 0x07 -> skipRoot(s, 0);
                    case 0x01 -> skipRoot(s, idSize);
                    case 0x04, 0x06 -> skipRoot(s, 4);
                    case 0x02, 0x03, 0x08 -> skipRoot(s, 8);
                    case CLASS_DUMP -> classDump(s, at, null, this);
                    case INSTANCE_DUMP -> {
                        need(s, 2 * idSize + 8);
                        s.pos += idSize + 4;
                        long classId = s.id(idSize);
                        instance(s, classId, s.u4() & 0xffffffffL);
                    }
                    case OBJ_ARRAY_DUMP -> {
                        need(s, 2 * idSize + 8);
                        s.pos += idSize + 4;
                        long length = s.u4() & 0xffffffffL;
                        objectArray(s, s.id(idSize), length);
                    }
                    case PRIM_ARRAY_DUMP -> {
                        need(s, idSize + 9);
                        s.pos += idSize + 4;
                        long length = s.u4() & 0xffffffffL;
                        int type = s.u1();
                        if (type == 2 || PRIMITIVE_ARRAY_NAMES.length <= type || PRIMITIVE_ARRAY_NAMES[type] == null) {
                            throw new Corrupt("primitive array of unknown type " + type + " at offset " + at);
                        }
                        primitiveArray(s, type, length, typeSize(type));
                    }
                    default -> throw new Corrupt("unknown heap dump sub-record 0x" + Integer.toHexString(sub));
                }
            }
        }

        private void skipRoot(HprofSource s, int extra) throws IOException {
            need(s, idSize + extra);
            s.pos += idSize + extra;
        }

        /** Only if pass 2 stopped earlier than pass 1 (should not happen). */
        private void fillRest() {
            while (object < limit) {
                t.classOf[object] = t.unknownClass;
                t.refStart.set(++object, edgeCount);
            }
        }

        /** A Reference's referent: not an edge of the graph, but noted, to say what only such references hold. */
        private void addReferent(long id, byte strength) {
            int target = id == 0 ? -1 : ids.find(id);
            if (target < 0 || referentCount < 0) {
                return;
            }
            if (referentCount + 3 > 3 * MAX_REFERENTS / threads) {
                referentCount = -1; // too many to keep: none are (see readAll)
                referents = null;
                return;
            }
            if (referentCount + 3 > referents.length) {
                referents = Arrays.copyOf(referents, referents.length * 2);
            }
            referents[referentCount++] = object;
            referents[referentCount++] = target;
            referents[referentCount++] = strength;
        }

        private void addRef(long id, int slot) {
            if (id == 0) {
                return;
            }
            int target = ids.find(id);
            if (target < 0) {
                dangling++;
                danglingHere++;
                return;
            }
            if (edgeCount == edgeEnd) {
                grow();
            }
            t.refs.set(edgeCount, target);
            t.slots.set(edgeCount++, slot);
        }

        private void grow() {
            if (!grows) {
                throw new IllegalStateException("part of " + file + " has more references than its bound");
            }
            if (t.refs.length >= Integer.MAX_VALUE - 16) {
                throw new InputException(file + ": more than 2^31 references; not supported yet");
            }
            int cap = (int) Math.min(Integer.MAX_VALUE - 16, t.refs.length + (t.refs.length >> 1) + 16L);
            IntArray refs = t.refs;
            IntArray slots = t.slots;
            t.refs = refs.grownTo(cap, t.space);
            t.slots = slots.grownTo(cap, t.space);
            t.space.release(refs);
            t.space.release(slots);
            edgeEnd = cap;
        }

        private void finish(byte k, int cls, long size) {
            if (danglingHere > 0) {
                if (k == HeapGraph.OBJECT_ARRAY && danglingArrays.size() < 4096) {
                    danglingArrays.add((long) object << 32 | danglingHere);
                }
                danglingHere = 0;
            }
            t.kind[object] = k;
            t.classOf[object] = cls;
            t.shallow[object] = (int) Math.min(Integer.MAX_VALUE, size);
            t.refStart.set(++object, edgeCount);
        }

        void instance(HprofSource s, long classId, long nbytes) throws IOException {
            // runs of one class are common (a dump walks the heap in address order): skip the hash lookup
            int ci = classId == lastClassId ? lastClass : (lastClass = classIndex.get(lastClassId = classId));
            HeapGraph.ClassInfo c = ci >= 0 ? classes.get(ci) : null;
            if (c != null && c.hprofInstanceBytes == nbytes && nbytes <= s.buf.length && s.ensure((int) nbytes)) {
                int base = s.pos;
                int[] offs = c.refOffsets;
                int referent = c.referentSlot;
                for (int f = 0; f < offs.length; f++) {
                    if (f != referent) {
                        addRef(s.idAt(base + offs[f], idSize), f);
                    }
                }
                if (referent >= 0) {
                    addReferent(s.idAt(base + offs[referent], idSize), t.referenceStrength[ci]);
                }
                long size = c.shallowSize;
                if (c.stackWordsOffset >= 0) {
                    size = layout.stackChunkSize(size, (int) s.idAt(base + c.stackWordsOffset, 4));
                }
                s.pos += (int) nbytes;
                finish(HeapGraph.INSTANCE, ci, size);
            } else {
                if (c != null) {
                    badInstances++;
                }
                if (!s.skip(nbytes)) {
                    throw new EOFException("instance ends after the end of the file");
                }
                finish(HeapGraph.INSTANCE, c != null ? ci : t.unknownClass, c != null ? c.shallowSize : layout.header() + nbytes);
            }
        }

        void objectArray(HprofSource s, long classId, long length) throws IOException {
            int ci = classIndex.get(classId);
            for (long i = 0; i < length; i++) {
                if (s.lim - s.pos < idSize && !s.ensure(idSize)) {
                    throw new EOFException("object array ends after the end of the file");
                }
                addRef(s.id(idSize), (int) Math.min(i, Integer.MAX_VALUE));
            }
            finish(HeapGraph.OBJECT_ARRAY, ci >= 0 ? ci : t.unknownClass, layout.objectArraySize(length));
        }

        void primitiveArray(HprofSource s, int type, long length, int elementSize) throws IOException {
            long bytes = length * elementSize;
            if ((type == 8 || type == 5) && bytes >= SecretScanner.MIN_LENGTH) {
                int step = type == 5 ? 2 : 1;
                long left = bytes;
                while (left > 0) {
                    int chunk = (int) Math.min(left, s.buf.length / 2);
                    if (!s.ensure(chunk)) {
                        throw new EOFException("primitive array ends after the end of the file");
                    }
                    secrets.scan(s.buf, s.pos, chunk, step, object);
                    s.pos += chunk;
                    left -= chunk;
                }
                secrets.arraysScanned++;
            } else if (!s.skip(bytes)) {
                throw new EOFException("primitive array ends after the end of the file");
            }
            finish(HeapGraph.PRIMITIVE_ARRAY, t.primitiveBase + type, layout.primitiveArraySize(length, elementSize));
        }

        void classObject() {
            ClassDump d = classDumps.get(classDumpCursor++);
            int ci = classIndex.get(d.id);
            for (int i = 0; i < d.staticRefIds.length; i++) {
                addRef(d.staticRefIds[i], i);
            }
            addRef(d.loaderId, HeapGraph.ClassInfo.LOADER_SLOT);
            long statics = d.staticBytes + (long) d.staticFieldRefs * layout.oop();
            finish(HeapGraph.CLASS, ci >= 0 ? ci : t.unknownClass, mirrorBase > 0
                    ? layout.instanceSize(mirrorBase - layout.header() + statics) : layout.instanceSize(statics));
        }
    }
}
