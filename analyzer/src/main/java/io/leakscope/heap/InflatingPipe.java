package io.leakscope.heap;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stream (a gzip'd dump's inflater) read on a thread of its own, a few chunks ahead of the parser. A gzip
 * stream cannot be split, so each pass over a compressed dump is one thread's work; with the inflating on a
 * second one, a pass takes about the longer of inflating and parsing instead of their sum. Whatever the stream
 * or its thread throws (an IOException, an OutOfMemoryError) is thrown, the same object, to the reader when it
 * reaches that point, after the bytes read before it.
 */
final class InflatingPipe extends InputStream {
    static final int CHUNK = 256 << 10; // below half a G1 region: never a humongous object
    private static final int CHUNKS = 4;

    /** A buffer and how much of it is filled; -1 for the end of the stream. Allocated up front, reused. */
    private static final class Chunk {
        final byte[] data;
        int length;

        Chunk(byte[] data) {
            this.data = data;
        }
    }

    private final InputStream in;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<Chunk> empty = new ArrayBlockingQueue<>(CHUNKS);
    private final Chunk end = new Chunk(null);
    private volatile Throwable failure; // what ended the stream, if not its end; set before `end` is queued
    private final Thread thread;
    private Chunk chunk; // being read, or null
    private int at;
    private boolean ended;

    InflatingPipe(InputStream in) {
        this.in = in;
        end.length = -1;
        for (int i = 0; i < CHUNKS; i++) {
            empty.add(new Chunk(new byte[CHUNK]));
        }
        thread = new Thread(this::fill, "leakscope-inflate");
        thread.setDaemon(true);
        thread.start();
    }

    /** Allocates nothing itself, so that even running out of memory reaches the reader as what it is. */
    private void fill() {
        try {
            while (true) {
                Chunk c = empty.take();
                int n = 0;
                int r = 0;
                try {
                    while (n < c.data.length && (r = in.read(c.data, n, c.data.length - n)) >= 0) {
                        n += r;
                    }
                } catch (Throwable t) {
                    failure = t;
                }
                if (n > 0) {
                    c.length = n;
                    full.put(c); // what was read before a failure is read too
                }
                if (failure != null || r < 0) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            return; // closed
        } catch (Throwable t) {
            // the queue's own lock ran out of memory: the reader sees this thread gone (current())
            if (failure == null) {
                failure = t;
            }
        }
        try {
            full.offer(end); // there is always room: CHUNKS buffers and one end
        } catch (Throwable t) {
            // as above
        }
    }

    /** The next chunk with bytes left, or null at the end; throws what the stream threw. */
    private Chunk current() throws IOException {
        if (chunk != null && at < chunk.length) {
            return chunk;
        }
        if (ended) {
            return null;
        }
        if (chunk != null) {
            empty.add(chunk);
            chunk = null;
        }
        Chunk next;
        try {
            while ((next = full.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                if (!thread.isAlive() && full.isEmpty()) {
                    next = end; // it could not even queue its end: never wait for it
                    if (failure == null) {
                        failure = new IOException("the thread inflating the dump stopped");
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a compressed dump");
        }
        if (next == end) {
            ended = true;
            if (failure != null) {
                throw HprofReader.rethrown(failure);
            }
            return null;
        }
        chunk = next;
        at = 0;
        return chunk;
    }

    @Override
    public int read() throws IOException {
        Chunk c = current();
        return c == null ? -1 : c.data[at++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Chunk c = current();
        if (c == null) {
            return -1;
        }
        int n = Math.min(len, c.length - at);
        System.arraycopy(c.data, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            in.close();
        }
    }
}
