package io.leakscope.heap;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stream (a gzip'd dump's inflater) read on a thread of its own, a few chunks ahead of the parser. A gzip
 * stream cannot be split, so each pass over a compressed dump is one thread's work; with the inflating on a
 * second one, a pass takes about the longer of inflating and parsing instead of their sum. What the stream
 * throws is thrown, the same exception, to the reader when it reaches that point.
 */
final class InflatingPipe extends InputStream {
    static final int CHUNK = 256 << 10; // below half a G1 region: never a humongous object
    private static final int CHUNKS = 4;

    /** Bytes read into {@code data}; after the last, one with {@code length} -1 and what ended the stream, if
     *  that was an {@code error}. */
    private record Chunk(byte[] data, int length, IOException error) {
    }

    private final InputStream in;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread thread;
    private Chunk chunk; // being read, or null
    private int at;
    private boolean ended;

    InflatingPipe(InputStream in) {
        this.in = in;
        for (int i = 0; i < CHUNKS; i++) {
            empty.add(new byte[CHUNK]);
        }
        thread = new Thread(this::fill, "leakscope-inflate");
        thread.setDaemon(true);
        thread.start();
    }

    private void fill() {
        try {
            while (true) {
                byte[] b = empty.take();
                int n = 0;
                IOException error = null;
                int r = 0;
                try {
                    while (n < b.length && (r = in.read(b, n, b.length - n)) >= 0) {
                        n += r;
                    }
                } catch (IOException e) {
                    error = e;
                }
                if (n > 0) {
                    full.put(new Chunk(b, n, null)); // what was read before the damage is read too
                }
                if (error != null || r < 0) {
                    full.put(new Chunk(null, -1, error));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
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
            empty.add(chunk.data);
            chunk = null;
        }
        Chunk next;
        try {
            next = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a compressed dump");
        }
        if (next.length < 0) {
            ended = true;
            if (next.error != null) {
                throw next.error;
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
