package io.leakscope.heap;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A gzip'd dump in HotSpot's blocks ({@code jcmd -gz}: independent members of a known size), inflated by several
 * threads at once and read in order: the whole file in pass 1, where one thread inflating (~500 MB/s of dump)
 * is what a compressed dump's pass 1 takes.
 * <p>
 * A member's end is known only once it is inflated, so the threads start at the next member's header found by
 * searching the compressed bytes for it (HotSpot starts every member with the same 8 bytes: magic, deflate, no
 * time, and no flags or only a comment, "HPROF BLOCKSIZE=…", which it writes in the first member and, dumping
 * with several threads, in others). The reader takes members in file order and accepts one only if it
 * starts where the previous one ended; at anything else (bytes that looked like a header inside deflate data, a
 * member with another header, damage, trailing bytes, the file's end) it goes on with one {@link GzipMembers}
 * from where the last good member ended, which inflates, checks and fails exactly as reading the file from the
 * start would. Like GzipMembers it notes where each member starts, for pass 2's parts.
 */
final class BlockInflater extends InputStream implements GzipInput {
    private static final byte[] MEMBER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0};
    private static final int SLOTS_PER_THREAD = 2;

    /** One member inflated by a worker, waiting for the reader. */
    private static final class Slot {
        final byte[] data;
        int member = -1;    // which member it holds (or is being filled with); -1: free
        boolean ready;
        int length;
        long start;         // file offset of its header
        long end;           // file offset after its trailer
        Throwable error;    // inflating it failed: the reader falls back to one GzipMembers from `start`

        Slot(int capacity) {
            this.data = new byte[capacity];
        }
    }

    private final Path file;
    private final long fileSize;
    private final Slot[] slots;
    private final Thread[] workers;
    private final FileChannel scanChannel;
    private final ByteBuffer scanBuf = ByteBuffer.allocate(1 << 16);

    // guarded by `this`: the search for members' starts, handed out in order
    private long lastStart = -1;
    private int issued;
    private int consumed;          // members the reader is done with (the first ones, in order)
    private boolean noMore;
    private boolean closed;
    private Throwable workerDeath; // not an inflating failure: the worker itself died (out of memory)

    // the reader's (one thread)
    private int want;
    private long expectedStart;
    private long offset;          // in the dump: where member `want` starts
    private Slot current;
    private int at;
    private GzipMembers sequential;
    private final Starts starts = new Starts(); // the fallback reader notes into it too
    private volatile long fileBytesRead;

    /**
     * {@code blockSize}: the dump bytes in a member, from the first member's header; {@code threads} inflating.
     */
    BlockInflater(Path file, int blockSize, int threads) throws IOException {
        this.file = file;
        this.scanChannel = FileChannel.open(file, StandardOpenOption.READ);
        this.fileSize = scanChannel.size();
        slots = new Slot[threads * SLOTS_PER_THREAD];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(blockSize);
        }
        workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(this::work, "leakscope-inflate-" + i);
            workers[i].setDaemon(true);
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    // ------------------------------------------------------------------------------------------ workers

    private void work() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                Slot slot;
                long start;
                int member;
                synchronized (this) {
                    if (closed || noMore) {
                        return;
                    }
                    start = nextStart();
                    if (start < 0) {
                        noMore = true;
                        notifyAll();
                        return;
                    }
                    member = issued++;
                    slot = slots[member % slots.length];
                    // its slot, once the member before it there is read: not before, or a later member waiting for
                    // the same slot could take it first, and the reader would wait for this one for ever
                    while (!closed && (slot.member != -1 || member - slots.length >= consumed)) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    slot.member = member;
                    slot.ready = false;
                }
                inflate(channel, slot, start);
                synchronized (this) {
                    slot.ready = true;
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable t) {
            synchronized (this) {
                workerDeath = t;
                notifyAll();
            }
        }
    }

    /** The member at {@code start} into {@code slot}; what goes wrong is noted, for the reader's fallback. */
    private void inflate(FileChannel channel, Slot slot, long start) {
        slot.start = start;
        slot.length = 0;
        slot.error = null;
        try (GzipMembers m = new GzipMembers(channel, start, 0, null, true, false)) {
            int n;
            while ((n = m.read(slot.data, slot.length, slot.data.length - slot.length)) > 0) {
                slot.length += n;
                if (slot.length == slot.data.length && m.read() >= 0) {
                    throw new IOException("a member holds more than its block");
                }
            }
            slot.end = m.end();
        } catch (IOException | RuntimeException e) {
            slot.error = e;
        }
    }

    /** The next member's start: 0 first, then the next header after the last one handed out; -1 for none. */
    private long nextStart() throws IOException {
        if (lastStart < 0) {
            lastStart = 0;
            return 0;
        }
        long from = lastStart + 18; // a header and a trailer at the least
        while (from + MEMBER.length <= fileSize) {
            scanBuf.clear();
            int n = scanChannel.read(scanBuf, from);
            if (n < MEMBER.length) {
                break;
            }
            byte[] b = scanBuf.array();
            for (int i = 0; i + MEMBER.length <= n; i++) {
                if (b[i] == 0x1f && matches(b, i)) {
                    lastStart = from + i;
                    return lastStart;
                }
            }
            from += n - MEMBER.length + 1;
        }
        return -1;
    }

    /** A member's first 8 bytes as HotSpot writes them: magic, deflate, no flags or a comment, no time. */
    private static boolean matches(byte[] b, int i) {
        for (int k = 1; k < MEMBER.length; k++) {
            if (b[i + k] != MEMBER[k] && !(k == 3 && b[i + k] == 16)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ reader

    /** The slot with member {@code want}, ready; null when no worker will bring it (then: the fallback). */
    private Slot next() throws IOException {
        synchronized (this) {
            Slot slot = slots[want % slots.length];
            try {
                while (!(slot.member == want && slot.ready)) {
                    if (workerDeath != null) {
                        throw HprofReader.rethrown(workerDeath);
                    }
                    if (noMore && want >= issued) {
                        return null;
                    }
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a compressed dump");
            }
            return slot;
        }
    }

    private void free(Slot slot) {
        synchronized (this) {
            slot.member = -1;
            slot.ready = false;
            consumed++;
            notifyAll();
        }
    }

    /** Member `want` to read from, or false at the end; switches to one GzipMembers wherever a member is not right. */
    private boolean advance() throws IOException {
        if (current != null) {
            expectedStart = current.end;
            offset += current.length;
            free(current);
            current = null;
            want++;
        }
        Slot slot = next();
        if (slot == null || slot.error != null || slot.start != expectedStart) {
            if (slot != null) {
                free(slot);
            }
            stopWorkers();
            if (expectedStart >= fileSize) {
                return false;
            }
            // from the end of the last good member, as a sequential reader would go on: the same bytes, checks
            // and failures (or a gzip member with another header, which it reads)
            sequential = new GzipMembers(FileChannel.open(file, StandardOpenOption.READ), expectedStart, offset, starts,
                    false, want > 0);
            if (want == 0) {
                fileBytesRead = 0;
            }
            return true;
        }
        starts.add(slot.start, offset);
        current = slot;
        at = 0;
        fileBytesRead = slot.end;
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (sequential != null) {
                return sequential.read(b, off, len);
            }
            if (current != null && at < current.length) {
                int n = Math.min(len, current.length - at);
                System.arraycopy(current.data, at, b, off, n);
                at += n;
                return n;
            }
            if (!advance()) {
                return -1;
            }
        }
    }

    /** Whether a member that was not right made it go on with one reader (tests). */
    boolean fellBack() {
        return sequential != null;
    }

    @Override
    public long fileBytesRead() {
        return sequential != null ? sequential.fileBytesRead() : fileBytesRead;
    }

    @Override
    public Starts starts() {
        return starts;
    }

    private void stopWorkers() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        stopWorkers();
        try {
            scanChannel.close();
        } finally {
            if (sequential != null) {
                sequential.close();
            }
        }
    }
}
