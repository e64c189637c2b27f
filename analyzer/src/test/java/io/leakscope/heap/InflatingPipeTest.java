package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InflatingPipeTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    /** Reads through odd-sized requests, so that they cross chunk boundaries everywhere. */
    private static byte[] readAll(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[7919];
        int n;
        while ((n = in.read(buf, 0, 1 + (out.size() % buf.length))) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void passesEveryByteInOrder() throws IOException {
        for (int size : new int[]{0, 1, InflatingPipe.CHUNK - 1, InflatingPipe.CHUNK, 5 * InflatingPipe.CHUNK + 3}) {
            byte[] data = random(size);
            try (InflatingPipe p = new InflatingPipe(new ByteArrayInputStream(data))) {
                assertArrayEquals(data, readAll(p, new ByteArrayOutputStream()), "size " + size);
                assertEquals(-1, p.read());
            }
        }
    }

    @Test
    void givesTheBytesBeforeAnErrorThenTheSameError() {
        ZipException damage = new ZipException("invalid block type");
        assertSame(damage, readUntil(damage));
        // running out of memory on the inflating thread reaches the reader too: it must not wait forever
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertSame(oom, readUntil(oom));
    }

    /** Reads a stream that throws {@code failure} after its bytes; returns what the reader got thrown. */
    private static Throwable readUntil(Throwable failure) {
        byte[] data = random(3 * InflatingPipe.CHUNK + 100);
        InputStream failing = new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                throw new AssertionError("not used");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == data.length) {
                    if (failure instanceof IOException e) {
                        throw e;
                    }
                    throw (Error) failure;
                }
                int n = Math.min(Math.min(len, 1000), data.length - at);
                System.arraycopy(data, at, b, off, n);
                at += n;
                return n;
            }
        };
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Throwable thrown;
        try (InflatingPipe p = new InflatingPipe(failing)) {
            thrown = assertThrows(Throwable.class, () -> readAll(p, got));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(data, got.toByteArray());
        return thrown;
    }

    @Test
    void closingMidStreamStopsItsThread() throws IOException, InterruptedException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
        InflatingPipe p = new InflatingPipe(endless);
        assertEquals(1, p.read());
        java.util.List<Thread> inflaters = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("leakscope-inflate") && t.isAlive()).toList();
        assertFalse(inflaters.isEmpty());
        Thread closer = new Thread(() -> {
            try {
                p.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closer.start();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close() did not return");
        for (Thread t : inflaters) {
            assertFalse(t.isAlive(), t.getName());
        }
    }
}
