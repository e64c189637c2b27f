package io.leakscope.memray;

import io.leakscope.io.InputException;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Memray's capture file ({@code memray run -o out.bin}), header versions 10 to 13 (memray 1.7 to 1.20), plain
 * or LZ4-framed (memray's default). A streaming file is replayed once, as memray's own reader does: the RSS of
 * every memory record, the Python heap (live tracked bytes) at that moment, and at the end the allocations
 * never freed, grouped by Python stack. An aggregated file ({@code --aggregate}) already holds the memory
 * snapshots and, per stack, the bytes leaked and the bytes at the high-water mark. docs/memray.md has the
 * layouts and what is left out (native stacks are skipped; from version 12 on line numbers would need the
 * code objects' line tables and are left out; partial munmaps are counted only from a region's start).
 */
final class MemrayCapture {
    static final byte[] MAGIC = {'m', 'e', 'm', 'r', 'a', 'y', 0};
    static final int LZ4_MAGIC = 0x184D2204;
    /** Memory records kept at most: memray writes one every 10 ms; the growth fit bins to 400 anyway. */
    static final int MAX_RECORDS = 4096;

    // streaming record tokens that are exact values (records.h RecordType)
    private static final int FILLER = 0;
    private static final int TRAILER = 1;
    private static final int MEMORY_RECORD = 2;
    private static final int NATIVE_TRACE_INDEX = 5;
    private static final int MEMORY_MAP_START = 6;
    private static final int SEGMENT_HEADER = 7;
    private static final int SEGMENT = 8;
    private static final int THREAD_RECORD = 10;
    private static final int CONTEXT_SWITCH = 12;
    private static final int CODE_OBJECT = 14;

    // allocator ids, v12+ (hooks.h)
    private static final int PYMALLOC_FREE = 1;
    private static final int FREE = 5;
    private static final int MUNMAP = 15;
    // ... and up to v11, a different numbering
    private static final int V11_FREE = 2;
    private static final int V11_MUNMAP = 11;
    private static final int V11_PYMALLOC_FREE = 15;

    // aggregated files: plain record-type bytes (records.h AggregatedRecordType)
    private static final int AGG_MEMORY_SNAPSHOT = 1;
    private static final int AGG_ALLOCATION = 2;
    private static final int AGG_PYTHON_TRACE_INDEX = 3;
    private static final int AGG_PYTHON_FRAME_INDEX = 4;
    private static final int AGG_SURVIVING_OBJECT = 13;
    private static final int AGG_TRAILER = 15;

    private MemrayCapture() {
    }

    /** The header fields leakscope uses. */
    record Header(int version, int pythonVersion, boolean nativeTraces, int fileFormat, long startMs, long endMs,
                  String commandLine, int pid, long mainTid, long skippedFrames) {
        /** "3.12.4", or "unknown" before format 12, which does not record it. */
        String python() {
            return pythonVersion == 0 ? "unknown"
                    : ((pythonVersion >> 24) & 0xff) + "." + ((pythonVersion >> 16) & 0xff) + "." + ((pythonVersion >> 8) & 0xff);
        }
    }

    /** @param frames innermost first, "function (file)" */
    record Site(List<String> frames, long bytes, long allocations) {
    }

    /**
     * @param atPeak  per stack, what was allocated and not yet freed at the high-water mark
     * @param endNote null when the file ended with its trailer (or memray's zero padding); else why it stopped
     */
    record Result(Header header, long[] timeMs, long[] rss, long[] heap, long peakHeap, long allocationRecords,
                  long leakedBytes, long leakedAllocations, List<Site> leaked, List<Site> atPeak, String endNote) {
    }

    static Result read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(4);
            byte[] head = in.readNBytes(4);
            in.reset();
            int magic = head.length == 4 ? (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 24 : 0;
            InputStream data = in;
            if (magic == LZ4_MAGIC) {
                // memray compresses with LZ4F defaults: linked blocks, which lz4-java's frame reader refuses
                data = new BufferedInputStream(new FramedLZ4CompressorInputStream(in, true), 1 << 16);
            }
            return new Replay(file, new Input(data)).run();
        }
    }

    /** Little-endian primitives, LEB128 varints and NUL-terminated strings over a stream, counting bytes. */
    static final class Input {
        private final InputStream in;
        long position;

        Input(InputStream in) {
            this.in = in;
        }

        /** -1 at the end of the data. */
        int tokenOrEnd() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            position++;
            return b;
        }

        int i32() throws IOException {
            return u8() | u8() << 8 | u8() << 16 | u8() << 24;
        }

        long u64() throws IOException {
            return (i32() & 0xffffffffL) | (long) i32() << 32;
        }

        long uvarint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("a varint longer than 10 bytes at byte " + position);
        }

        long svarint() throws IOException {
            long u = uvarint();
            return (u >>> 1) ^ -(u & 1);
        }

        String cstring() throws IOException {
            byte[] buf = new byte[64];
            int n = 0;
            for (int b = u8(); b != 0; b = u8()) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                }
                buf[n++] = (byte) b;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        }

        void skip(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                u8();
            }
        }
    }

    static Header header(Path file, Input in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = (byte) in.u8();
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new InputException(file + ": not a memray capture file (no memray magic after decompression)");
        }
        int version = in.i32();
        if (version < 10 || version > 13) {
            throw new InputException(file + ": memray capture format version " + version + " ("
                    + (version < 10 ? "memray 1.6 or older" : "newer than memray 1.20") + "); leakscope decodes versions"
                    + " 10 to 13 (memray 1.7–1.20) — with the memray that wrote it, run `memray transform csv --leaks "
                    + file.getFileName() + "` and analyse that instead");
        }
        int python = version >= 12 ? in.i32() : 0;
        boolean nativeTraces = in.u8() != 0;
        int format = in.u8();
        in.u64(); // n_allocations: 0 for a crashed run, so recounted
        in.u64(); // n_frames: never incremented since v12
        long start = in.u64();
        long end = in.u64();
        String command = in.cstring();
        int pid = in.i32();
        long mainTid = in.u64();
        long skipped = in.u64();
        in.u8(); // python_allocator
        if (version >= 11) {
            in.u8(); // trace_python_allocators
        }
        if (version >= 12) {
            in.u8(); // track_object_lifetimes
        }
        if (version >= 13) {
            in.cstring(); // libdest
            while (!in.cstring().isEmpty()) {
                // site_packages
            }
            while (!in.cstring().isEmpty()) {
                // sys_path
            }
        }
        return new Header(version, python, nativeTraces, format, start, end, command, pid, mainTid, skipped);
    }

    /** A Python frame as memray's registry tells frames apart. */
    private record FrameKey(long code, long offset, boolean entry) {
    }

    /** One pass over the records, rebuilding what memray's reader rebuilds. */
    private static final class Replay {
        private final Path file;
        private final Input in;
        private Header h;

        // the delta states whose values are used (the others are read past), and the 15-slot FIFO of recent
        // addresses shared by ALLOCATION and OBJECT_RECORD
        private long dataPointer;
        private long pythonFrameId; // up to v11
        private long pythonLine;    // up to v11
        private final long[] recent = new long[15];

        // code objects, frames (code, offset, entry) in order of first appearance, the frame tree (a trie)
        private final Map<Long, String> codeNames = new HashMap<>();
        private final Map<FrameKey, Integer> frameIds = new HashMap<>();
        private final List<Long> frameCode = new ArrayList<>();
        private final Map<Long, Integer> children = new HashMap<>();
        private int[] nodeParent = new int[256];
        private int[] nodeFrame = new int[256];
        private int nodes = 1; // node 0 is the root: no Python stack

        private final Map<Long, int[]> stacks = new HashMap<>();
        private long tid;

        /** address → {size, node * 2 + (main thread ? 1 : 0)} */
        private final Map<Long, long[]> live = new HashMap<>();
        private long heap;
        private long peak;
        private long allocationRecords;

        private long[] times = new long[MAX_RECORDS];
        private long[] rss = new long[MAX_RECORDS];
        private long[] heaps = new long[MAX_RECORDS];
        private int kept;
        private long stride = 1;
        private long records;
        private long lastTime = Long.MIN_VALUE;
        private long lastRss;
        private long lastHeap;

        /**
         * Per stack key: {bytes, count, bytes at the peak, count at the peak, peak epoch of that snapshot}. A key
         * about to change first saves its value if a peak has been reached since its last change, so what each
         * stack held at the high-water mark is known in one pass (memray replays the file a second time).
         */
        private final Map<Long, long[]> sites = new HashMap<>();
        private long peakEpoch;

        Replay(Path file, Input in) {
            this.file = file;
            this.in = in;
        }

        Result run() throws IOException {
            try {
                h = header(file, in);
            } catch (EOFException e) {
                throw new InputException(file + ": memray capture file ends inside its header (" + in.position + " bytes)");
            }
            if (h.fileFormat() == 1) {
                return aggregated();
            }
            if (h.fileFormat() != 0) {
                throw new InputException(file + ": corrupt memray capture: unknown file format " + h.fileFormat());
            }
            boolean legacy = h.version() < 12;
            String endNote = null;
            long recordStart = in.position;
            try {
                while (true) {
                    recordStart = in.position;
                    int token = in.tokenOrEnd();
                    if (token < 0) {
                        endNote = "the file ends without memray's trailer (the capture was cut short); read up to byte " + in.position;
                        break;
                    }
                    if (token == FILLER || token == (legacy ? 0x10 : TRAILER)) {
                        break; // FILLER: the zero padding memray's mmap sink leaves after the last record
                    }
                    if (legacy) {
                        legacyRecord(token);
                    } else {
                        record(token);
                    }
                }
            } catch (EOFException e) {
                endNote = "the file ends inside a record at byte " + recordStart + " (a crashed or killed capture); read up to there";
            }
            if (lastTime != Long.MIN_VALUE && (kept == 0 || times[kept - 1] != lastTime)) {
                keep(lastTime, lastRss, lastHeap); // the last point always counts
            }
            return result(endNote, liveBySite(), sites(atPeakBySite()));
        }

        /** Up to format 11: {@code type | flags << 4}, full addresses, frames with their line numbers resolved. */
        private void legacyRecord(int token) throws IOException {
            int type = token & 0x0f;
            int flags = token >> 4;
            switch (type) {
                case 1, 2 -> {
                    long address = dataPointer += in.svarint();
                    boolean deallocator = flags == V11_FREE || flags == V11_PYMALLOC_FREE;
                    long size = type == 2 || !deallocator ? in.uvarint() : 0;
                    if (type == 2) {
                        in.svarint(); // native frame id delta: native stacks are not decoded
                    }
                    account(address, size, deallocator, flags == V11_MUNMAP);
                }
                case 3 -> {
                    long frame = pythonFrameId += in.svarint();
                    String function = in.cstring();
                    String filename = in.cstring();
                    long line = pythonLine += in.svarint();
                    // frames are identified by id here: register the id as its own "code object"
                    codeNames.put(-1 - frame, function + " (" + filename + ":" + line + ")");
                }
                case 4 -> push(-1 - (pythonFrameId += in.svarint()), 0, true);
                case 5 -> {
                    in.svarint(); // instruction pointer delta
                    in.svarint(); // native frame id delta: native stacks are not decoded
                }
                case 6 -> {
                }
                case 7 -> segments();
                case 9 -> pop(flags + 1);
                case 10 -> in.cstring();
                case 11 -> memoryRecord(in.uvarint(), h.startMs() + in.uvarint());
                case 12 -> tid = in.u64();
                default -> throw new InputException(file + ": corrupt memray capture: unknown record token " + token
                        + " at byte " + (in.position - 1));
            }
        }

        /**
         * {@code --aggregate}: everything was written at exit, so a file cut short has nothing after its header
         * worth keeping (memray itself cannot read one either).
         */
        private Result aggregated() throws IOException {
            boolean legacy = h.version() < 12;
            Map<Long, long[]> leaked = new HashMap<>();   // key → {bytes, count}
            Map<Long, long[]> atPeak = new HashMap<>();
            Map<Long, Long> frameCodes = new HashMap<>(); // frame id → code object id (v12+) or -1 - frame id
            List<long[]> trace = new ArrayList<>();        // node k (from 1) → {frame id, parent}
            trace.add(new long[] {0, 0});
            long aggregatedRecords = 0;
            try {
                while (true) {
                    int type = in.tokenOrEnd();
                    if (type < 0) {
                        throw new InputException(file + ": aggregated memray capture ends without its trailer (a capture"
                                + " that did not exit cleanly has nothing usable; see memray's issue #708)");
                    }
                    if (type == AGG_TRAILER || type == FILLER) {
                        break;
                    }
                    switch (type) {
                        case AGG_MEMORY_SNAPSHOT -> {
                            long ms = in.u64();
                            long rssBytes = in.u64();
                            heap = in.u64();
                            peak = Math.max(peak, heap);
                            memoryRecord(rssBytes, ms);
                        }
                        case CONTEXT_SWITCH -> tid = in.u64();
                        case THREAD_RECORD -> in.cstring();
                        case MEMORY_MAP_START -> {
                        }
                        case SEGMENT_HEADER -> segments();
                        case CODE_OBJECT -> codeObject();
                        case NATIVE_TRACE_INDEX -> {
                            in.svarint();
                            in.svarint();
                        }
                        case AGG_PYTHON_FRAME_INDEX -> {
                            if (legacy) {
                                long frame = in.u64();
                                String function = in.cstring();
                                String filename = in.cstring();
                                int line = in.i32();
                                in.u8();
                                codeNames.put(-1 - frame, function + " (" + filename + ":" + line + ")");
                                frameCodes.put(frame, -1 - frame);
                            } else {
                                long frame = in.uvarint();
                                long code = in.uvarint();
                                in.svarint(); // instruction offset: for the line table, not decoded
                                in.u8();
                                frameCodes.put(frame, code);
                            }
                        }
                        case AGG_PYTHON_TRACE_INDEX -> {
                            long frame = legacy ? in.u64() : in.uvarint();
                            long parent = legacy ? in.i32() & 0xffffffffL : in.uvarint();
                            trace.add(new long[] {frame, parent});
                        }
                        case AGG_SURVIVING_OBJECT -> {
                            in.uvarint();
                            if (h.nativeTraces()) {
                                in.uvarint();
                            }
                        }
                        case AGG_ALLOCATION -> {
                            long allocTid = in.u64();
                            in.skip(8); // allocator and padding
                            in.u64(); // native frame id
                            long frameIndex = in.u64();
                            in.u64(); // native segment generation
                            long nAtPeak = in.u64();
                            long nLeaked = in.u64();
                            long bytesAtPeak = in.u64();
                            long bytesLeaked = in.u64();
                            long key = frameIndex * 2 + (allocTid == h.mainTid() ? 1 : 0);
                            add(leaked, key, bytesLeaked, nLeaked);
                            add(atPeak, key, bytesAtPeak, nAtPeak);
                            aggregatedRecords++;
                        }
                        default -> throw new InputException(file + ": corrupt memray capture: unknown aggregated record "
                                + type + " at byte " + (in.position - 1));
                    }
                }
            } catch (EOFException e) {
                throw new InputException(file + ": aggregated memray capture ends inside a record at byte " + in.position
                        + " (cut short)");
            }
            // the frame tree as written: node k = (frame id, parent node); frames resolve to code objects or names
            for (int k = 1; k < trace.size(); k++) {
                long frame = trace.get(k)[0];
                Long code = frameCodes.get(frame);
                ensureNode(k);
                nodeParent[k] = (int) trace.get(k)[1];
                nodeFrame[k] = frameCode.size();
                frameCode.add(code == null ? Long.MIN_VALUE : code);
            }
            nodes = Math.max(nodes, trace.size());
            if (lastTime != Long.MIN_VALUE && (kept == 0 || times[kept - 1] != lastTime)) {
                keep(lastTime, lastRss, lastHeap);
            }
            allocationRecords = aggregatedRecords;
            long atPeakBytes = 0;
            for (long[] v : atPeak.values()) {
                atPeakBytes += v[0];
            }
            peak = Math.max(peak, atPeakBytes); // exact, where the snapshots are samples every 10 ms
            return result(null, leaked, sites(atPeak));
        }

        private static void add(Map<Long, long[]> m, long key, long bytes, long count) {
            if (bytes == 0 && count == 0) {
                return;
            }
            long[] v = m.computeIfAbsent(key, k -> new long[2]);
            v[0] += bytes;
            v[1] += count;
        }

        private void record(int token) throws IOException {
            if ((token & 0x80) != 0) {
                allocation(token);
            } else if ((token & 0x40) != 0) {
                long code = in.uvarint();
                long offset = in.svarint();
                push(code, offset, (token & 1) != 0);
            } else if ((token & 0x20) != 0) {
                int slot = (token >> 1) & 0x0f;
                if (slot == 15) {
                    remember((dataPointer += in.svarint()) << 3);
                }
                if (h.nativeTraces() && (token & 1) != 0) {
                    in.svarint(); // native frame id delta: native stacks are not decoded
                }
            } else if ((token & 0x10) != 0) {
                pop((token & 0x0f) + 1);
            } else {
                switch (token) {
                    case MEMORY_RECORD -> memoryRecord(in.uvarint(), h.startMs() + in.uvarint());
                    case NATIVE_TRACE_INDEX -> {
                        in.svarint(); // instruction pointer delta
                        in.svarint(); // native frame id delta: native stacks are not decoded
                    }
                    case MEMORY_MAP_START -> {
                    }
                    case SEGMENT_HEADER -> segments();
                    case THREAD_RECORD -> in.cstring();
                    case CONTEXT_SWITCH -> tid = in.u64();
                    case CODE_OBJECT -> codeObject();
                    default -> throw new InputException(file + ": corrupt memray capture: unknown record token " + token
                            + " at byte " + (in.position - 1));
                }
            }
        }

        private void allocation(int token) throws IOException {
            int slot = (token >> 3) & 0x0f;
            long address;
            if (slot == 15) {
                address = (dataPointer += in.svarint()) << 3;
                remember(address);
            } else {
                address = recent[slot];
            }
            int allocator = token & 0x07;
            if (allocator == 0) {
                allocator = in.u8();
            }
            boolean deallocator = allocator == FREE || allocator == PYMALLOC_FREE;
            long size = 0;
            if (!deallocator) {
                if (h.nativeTraces()) {
                    in.svarint(); // native frame id delta: native stacks are not decoded
                }
                size = in.uvarint();
            }
            account(address, size, deallocator, allocator == MUNMAP);
        }

        private void account(long address, long size, boolean deallocator, boolean munmap) {
            allocationRecords++;
            if (deallocator) {
                long[] a = live.remove(address);
                if (a != null) {
                    heap -= a[0];
                    change(a[1], -a[0], -1);
                }
            } else if (munmap) {
                long[] a = live.remove(address);
                if (a != null) {
                    long freed = Math.min(size, a[0]);
                    heap -= freed;
                    if (a[0] > freed) {
                        live.put(address + freed, new long[] {a[0] - freed, a[1]}); // unmapped from its start
                        change(a[1], -freed, 0);
                    } else {
                        change(a[1], -freed, -1);
                    }
                }
            } else {
                int[] stack = stacks.get(tid);
                int node = stack == null || stack[0] == 0 ? 0 : stack[stack[0]];
                long key = node * 2L + (tid == h.mainTid() ? 1 : 0);
                long[] old = live.put(address, new long[] {size, key});
                if (old != null) {
                    heap -= old[0]; // a free memray did not see (e.g. before tracking started)
                    change(old[1], -old[0], -1);
                }
                heap += size;
                change(key, size, 1);
                if (heap >= peak) {
                    peak = heap; // the last record at the peak counts, as in memray's high-water-mark finder
                    peakEpoch++;
                }
            }
        }

        private void change(long key, long bytes, long count) {
            long[] st = sites.computeIfAbsent(key, k -> new long[5]);
            if (st[4] < peakEpoch) {
                st[2] = st[0];
                st[3] = st[1];
                st[4] = peakEpoch;
            }
            st[0] += bytes;
            st[1] += count;
        }

        private void segments() throws IOException {
            in.cstring();
            long segments = in.uvarint();
            in.u64();
            for (long i = 0; i < segments; i++) {
                int t = in.u8();
                if (t != SEGMENT) {
                    throw new InputException(file + ": corrupt memray capture: segment record expected at byte "
                            + (in.position - 1) + ", found token " + t);
                }
                in.u64();
                in.uvarint();
            }
        }

        private void codeObject() throws IOException {
            long id = in.uvarint();
            String function = in.cstring();
            String filename = in.cstring();
            in.svarint(); // first line number delta: lines are not decoded from format 12 on
            in.skip(in.uvarint()); // the line table: not decoded (docs/memray.md)
            codeNames.put(id, function + " (" + filename + ")");
        }

        private void pop(int n) {
            int[] stack = stacks.get(tid);
            if (stack != null) {
                stack[0] = Math.max(0, stack[0] - n);
            }
        }

        /** A miss: slots 0..13 move to 1..14 and the address takes slot 0 (a FIFO; hits do not reorder). */
        private void remember(long address) {
            System.arraycopy(recent, 0, recent, 1, recent.length - 1);
            recent[0] = address;
        }

        private void push(long code, long offset, boolean entry) {
            FrameKey key = new FrameKey(code, offset, entry);
            Integer frame = frameIds.get(key);
            if (frame == null) {
                frame = frameCode.size();
                frameIds.put(key, frame);
                frameCode.add(code);
            }
            int[] stack = stacks.computeIfAbsent(tid, k -> new int[17]);
            int parent = stack[0] == 0 ? 0 : stack[stack[0]];
            long edge = (long) parent << 32 | frame;
            Integer node = children.get(edge);
            if (node == null) {
                node = nodes;
                ensureNode(nodes);
                nodeParent[nodes] = parent;
                nodeFrame[nodes] = frame;
                nodes++;
                children.put(edge, node);
            }
            if (stack[0] + 1 == stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
                stacks.put(tid, stack);
            }
            stack[++stack[0]] = node; // stack[0] is the depth
        }

        private void ensureNode(int k) {
            while (k >= nodeParent.length) {
                nodeParent = Arrays.copyOf(nodeParent, nodeParent.length * 2);
                nodeFrame = Arrays.copyOf(nodeFrame, nodeFrame.length * 2);
            }
        }

        private void memoryRecord(long rssBytes, long ms) {
            lastTime = ms;
            lastRss = rssBytes;
            lastHeap = heap;
            if (records++ % stride != 0) {
                return;
            }
            if (kept == MAX_RECORDS) {
                // thin to every other kept point and double the stride: bounded memory for any capture length
                for (int i = 0; i < MAX_RECORDS / 2; i++) {
                    times[i] = times[2 * i];
                    rss[i] = rss[2 * i];
                    heaps[i] = heaps[2 * i];
                }
                kept = MAX_RECORDS / 2;
                stride *= 2;
                if ((records - 1) % stride != 0) {
                    return;
                }
            }
            keep(ms, rssBytes, heap);
        }

        private void keep(long ms, long rssBytes, long heapBytes) {
            if (kept == times.length) {
                times = Arrays.copyOf(times, kept + 1);
                rss = Arrays.copyOf(rss, kept + 1);
                heaps = Arrays.copyOf(heaps, kept + 1);
            }
            times[kept] = ms;
            rss[kept] = rssBytes;
            heaps[kept] = heapBytes;
            kept++;
        }

        private Map<Long, long[]> liveBySite() {
            Map<Long, long[]> bySite = new HashMap<>();
            for (Map.Entry<Long, long[]> e : sites.entrySet()) {
                add(bySite, e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
            return bySite;
        }

        /** What each stack held after the record that last reached the peak. */
        private Map<Long, long[]> atPeakBySite() {
            Map<Long, long[]> bySite = new HashMap<>();
            for (Map.Entry<Long, long[]> e : sites.entrySet()) {
                long[] st = e.getValue();
                boolean unchangedSince = st[4] < peakEpoch;
                add(bySite, e.getKey(), unchangedSince ? st[0] : st[2], unchangedSince ? st[1] : st[3]);
            }
            return bySite;
        }

        private List<Site> sites(Map<Long, long[]> bySite) {
            List<Site> sites = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : bySite.entrySet()) {
                if (e.getValue()[0] > 0) {
                    sites.add(new Site(frames((int) (e.getKey() >> 1), (e.getKey() & 1) != 0), e.getValue()[0], e.getValue()[1]));
                }
            }
            sites.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
            return sites;
        }

        private Result result(String endNote, Map<Long, long[]> leakedBySite, List<Site> atPeak) {
            long leakedBytes = 0;
            long leakedCount = 0;
            for (long[] v : leakedBySite.values()) {
                leakedBytes += v[0];
                leakedCount += v[1];
            }
            return new Result(h, Arrays.copyOf(times, kept), Arrays.copyOf(rss, kept), Arrays.copyOf(heaps, kept), peak,
                    allocationRecords, leakedBytes, leakedCount, sites(leakedBySite), atPeak, endNote);
        }

        /** Innermost first; on the main thread without memray's own outermost frames. */
        private List<String> frames(int node, boolean mainThread) {
            List<String> out = new ArrayList<>();
            for (int n = node, depth = 0; n > 0 && n < nodes && depth < 100_000; n = nodeParent[n], depth++) {
                long code = frameCode.get(nodeFrame[n]);
                out.add(codeNames.getOrDefault(code, "code object " + code));
            }
            if (mainThread && h.skippedFrames() > 0) {
                int keep = (int) Math.max(0, out.size() - h.skippedFrames());
                out = new ArrayList<>(out.subList(0, keep));
            }
            if (out.isEmpty()) {
                out.add("(no Python stack)");
            }
            return out;
        }
    }
}
