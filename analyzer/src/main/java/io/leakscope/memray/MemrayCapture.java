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
 * Memray's capture file ({@code memray run -o out.bin}), streaming format, header versions 12 and 13 (memray
 * 1.19 and 1.20), plain or LZ4-framed (memray's default). The file is replayed once, as memray's own reader
 * does: the RSS of every memory record, the Python heap (live tracked bytes) at that moment, and at the end
 * the allocations never freed, grouped by Python stack. docs/memray.md has the layout and what is left out
 * (native stacks are skipped, line numbers are not decoded from the line tables, partial munmaps are counted
 * only from a region's start).
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
    private static final int MMAP = 14;
    private static final int MUNMAP = 15;

    private MemrayCapture() {
    }

    /** The header fields leakscope uses. */
    record Header(int version, int pythonVersion, boolean nativeTraces, int fileFormat, long startMs, long endMs,
                  String commandLine, int pid, long mainTid, long skippedFrames) {
        String python() {
            return ((pythonVersion >> 24) & 0xff) + "." + ((pythonVersion >> 16) & 0xff) + "." + ((pythonVersion >> 8) & 0xff);
        }
    }

    /** @param frames innermost first, "function (file)" */
    record Site(List<String> frames, long bytes, long allocations) {
    }

    /**
     * @param endNote    null when the file ended with its trailer (or memray's zero padding); else why it stopped
     */
    record Result(Header header, long[] timeMs, long[] rss, long[] heap, long peakHeap, long allocationRecords,
                  long leakedBytes, long leakedAllocations, List<Site> leaked, String endNote) {
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
        if (version < 12 || version > 13) {
            throw new InputException(file + ": memray capture format version " + version + " ("
                    + (version < 12 ? "memray 1.18 or older" : "newer than memray 1.20") + "); leakscope decodes versions 12"
                    + " and 13 (memray 1.19–1.20) — with the memray that wrote it, run `memray transform csv --leaks "
                    + file.getFileName() + "` and analyse that instead");
        }
        int python = in.i32();
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
        in.u8(); // trace_python_allocators
        in.u8(); // track_object_lifetimes
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

    /** One pass over the records, rebuilding what memray's reader rebuilds. */
    private static final class Replay {
        private final Path file;
        private final Input in;
        private Header h;

        // delta states and the 15-slot FIFO of recent addresses, shared by ALLOCATION and OBJECT_RECORD
        private long dataPointer;
        private long nativeFrameId;
        private long instructionPointer;
        private long firstLineNo;
        private final long[] recent = new long[15];

        // code objects, frames (code, offset, entry) in order of first appearance, the frame tree (a trie)
        private final Map<Long, String> codeNames = new HashMap<>();
        private final Map<String, Integer> frameIds = new HashMap<>();
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
            if (h.fileFormat() != 0) {
                throw new InputException(file + ": an aggregated memray capture (--aggregate); leakscope decodes the default"
                        + " streaming format — run `memray transform csv --leaks " + file.getFileName() + "` and analyse that");
            }
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
                    if (token == FILLER || token == TRAILER) {
                        break; // FILLER: the zero padding memray's mmap sink leaves after the last record
                    }
                    record(token);
                }
            } catch (EOFException e) {
                endNote = "the file ends inside a record at byte " + recordStart + " (a crashed or killed capture); read up to there";
            }
            if (lastTime != Long.MIN_VALUE && (kept == 0 || times[kept - 1] != lastTime)) {
                keep(lastTime, lastRss, lastHeap); // the last point always counts
            }
            return result(endNote);
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
                    nativeFrameId += in.svarint();
                }
            } else if ((token & 0x10) != 0) {
                int[] stack = stacks.get(tid);
                if (stack != null) {
                    stack[0] = Math.max(0, stack[0] - ((token & 0x0f) + 1));
                }
            } else {
                switch (token) {
                    case MEMORY_RECORD -> memoryRecord(in.uvarint(), h.startMs() + in.uvarint());
                    case NATIVE_TRACE_INDEX -> {
                        instructionPointer += in.svarint();
                        nativeFrameId += in.svarint();
                    }
                    case MEMORY_MAP_START -> {
                    }
                    case SEGMENT_HEADER -> {
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
                    case THREAD_RECORD -> in.cstring();
                    case CONTEXT_SWITCH -> tid = in.u64();
                    case CODE_OBJECT -> {
                        long id = in.uvarint();
                        String function = in.cstring();
                        String filename = in.cstring();
                        firstLineNo += in.svarint();
                        in.skip(in.uvarint()); // the line table: not decoded (docs/memray.md)
                        codeNames.put(id, function + " (" + filename + ")");
                    }
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
                    nativeFrameId += in.svarint();
                }
                size = in.uvarint();
            }
            allocationRecords++;
            if (deallocator) {
                long[] a = live.remove(address);
                if (a != null) {
                    heap -= a[0];
                }
            } else if (allocator == MUNMAP) {
                long[] a = live.remove(address);
                if (a != null) {
                    long freed = Math.min(size, a[0]);
                    heap -= freed;
                    if (a[0] > freed) {
                        live.put(address + freed, new long[] {a[0] - freed, a[1]}); // unmapped from its start
                    }
                }
            } else {
                int[] stack = stacks.get(tid);
                int node = stack == null || stack[0] == 0 ? 0 : stack[stack[0]];
                long[] old = live.put(address, new long[] {size, node * 2L + (tid == h.mainTid() ? 1 : 0)});
                if (old != null) {
                    heap -= old[0]; // a free memray did not see (e.g. before tracking started)
                }
                heap += size;
                peak = Math.max(peak, heap);
            }
        }

        /** A miss: slots 0..13 move to 1..14 and the address takes slot 0 (a FIFO; hits do not reorder). */
        private void remember(long address) {
            System.arraycopy(recent, 0, recent, 1, recent.length - 1);
            recent[0] = address;
        }

        private void push(long code, long offset, boolean entry) {
            String key = code + ":" + offset + ":" + entry;
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
                if (nodes == nodeParent.length) {
                    nodeParent = Arrays.copyOf(nodeParent, nodes * 2);
                    nodeFrame = Arrays.copyOf(nodeFrame, nodes * 2);
                }
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

        private Result result(String endNote) {
            Map<Long, long[]> bySite = new HashMap<>();
            long leakedBytes = 0;
            for (long[] a : live.values()) {
                long[] s = bySite.computeIfAbsent(a[1], k -> new long[2]);
                s[0] += a[0];
                s[1]++;
                leakedBytes += a[0];
            }
            List<Site> sites = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : bySite.entrySet()) {
                sites.add(new Site(frames((int) (e.getKey() >> 1), (e.getKey() & 1) != 0), e.getValue()[0], e.getValue()[1]));
            }
            sites.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
            return new Result(h, Arrays.copyOf(times, kept), Arrays.copyOf(rss, kept), Arrays.copyOf(heaps, kept), peak,
                    allocationRecords, leakedBytes, live.size(), sites, endNote);
        }

        /** Innermost first; on the main thread without memray's own outermost frames. */
        private List<String> frames(int node, boolean mainThread) {
            List<String> out = new ArrayList<>();
            for (int n = node; n != 0; n = nodeParent[n]) {
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
