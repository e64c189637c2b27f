package io.leakscope.heap;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * byte[] and int[] tables parked in an owner-only temp file while a phase that does not read them runs (the
 * dominator pass, the engine's memory peak), then read back. Parked, they sit in the page cache, which the
 * kernel may write out and drop, not in this process: how a dump is analysed in less memory than its tables
 * take together. The file is created owner-only and unlinked at once, kept through its open channel: nothing
 * is left behind, even when the process is killed.
 */
final class ParkedArrays {
    private static final int CHUNK = 1 << 20;
    private final Path file;
    private final FileChannel channel;
    private final Object[] shapes; // per array: null, or an empty byte[]/int[] of its type with its length below
    private final int[] lengths;
    private final ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()); // element reads

    private ParkedArrays(Path file, FileChannel channel, Object[] shapes, int[] lengths) {
        this.file = file;
        this.channel = channel;
        this.shapes = shapes;
        this.lengths = lengths;
    }

    /**
     * {@code java.io.tmpdir}, except that the JVM's default {@code /tmp} on a tmpfs becomes {@code /var/tmp} when
     * that is a writable directory on a disk: a tmpfs keeps parked and mapped tables in memory, which is what
     * they are there to give back. A {@code java.io.tmpdir} set to anything else is taken as it is.
     */
    static Path defaultDirectory() {
        return directoryFor(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/tmp"), Path.of("/var/tmp"));
    }

    /** {@code tmp}, or {@code var} when {@code tmp} is the JVM's default, on a tmpfs, and {@code var} is not. */
    static Path directoryFor(Path tmp, Path jvmDefault, Path var) {
        if (tmp.equals(jvmDefault) && isTmpfs(tmp) && Files.isDirectory(var) && Files.isWritable(var)
                && !isTmpfs(var)) {
            return var;
        }
        return tmp;
    }

    private static boolean isTmpfs(Path dir) {
        try {
            return Files.getFileStore(dir).type().equals("tmpfs");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code arrays} (byte[], int[] or null) to a new file in {@code dir}; null when that cannot be done
     * (no such directory, a full disk): then the caller keeps its arrays.
     */
    static ParkedArrays park(Path dir, Object... arrays) {
        Path f = null;
        FileChannel ch = null;
        try {
            f = Files.createTempFile(dir, "leakscope-heap-", ".tables",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(f);
            Object[] shapes = new Object[arrays.length];
            int[] lengths = new int[arrays.length];
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());
            for (int i = 0; i < arrays.length; i++) {
                if (arrays[i] instanceof byte[] b) {
                    shapes[i] = new byte[0];
                    lengths[i] = b.length;
                    for (int off = 0; off < b.length; off += CHUNK) {
                        write(ch, ByteBuffer.wrap(b, off, Math.min(CHUNK, b.length - off)));
                    }
                } else if (arrays[i] instanceof int[] a) {
                    shapes[i] = new int[0];
                    lengths[i] = a.length;
                    for (int off = 0; off < a.length; off += CHUNK / 4) {
                        int n = Math.min(CHUNK / 4, a.length - off);
                        buf.clear();
                        buf.asIntBuffer().put(a, off, n);
                        buf.limit(n * 4);
                        write(ch, buf);
                    }
                } else if (arrays[i] != null) {
                    throw new IllegalArgumentException("only byte[] and int[] are parked");
                }
            }
            return new ParkedArrays(f, ch, shapes, lengths);
        } catch (IOException | UnsupportedOperationException e) {
            close(ch);
            delete(f);
            return null;
        }
    }

    /** Bytes parked. */
    long size() throws IOException {
        return channel.size();
    }

    /** Where the file was (it no longer has a name). */
    Path file() {
        return file;
    }

    /** The arrays in the order given to {@link #park}; the file's space is freed. */
    Object[] restore() {
        try {
            return readBack();
        } finally {
            close();
        }
    }

    /**
     * The arrays in the order given to {@link #park}, the file kept: a caller that lets go of some of them again
     * reads single elements from here ({@link #intAt}, {@link #byteAt}) until it {@link #close}s it.
     */
    Object[] readBack() {
        Object[] out = new Object[shapes.length];
        try {
            FileChannel ch = channel;
            ch.position(0);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());
            for (int i = 0; i < shapes.length; i++) {
                if (shapes[i] instanceof byte[]) {
                    byte[] b = new byte[lengths[i]];
                    for (int off = 0; off < b.length; off += CHUNK) {
                        read(ch, ByteBuffer.wrap(b, off, Math.min(CHUNK, b.length - off)));
                    }
                    out[i] = b;
                } else if (shapes[i] instanceof int[]) {
                    int[] a = new int[lengths[i]];
                    for (int off = 0; off < a.length; off += CHUNK / 4) {
                        int n = Math.min(CHUNK / 4, a.length - off);
                        buf.clear();
                        buf.limit(n * 4);
                        read(ch, buf);
                        buf.flip();
                        buf.asIntBuffer().get(a, off, n);
                    }
                    out[i] = a;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not read back the heap tables parked there: "
                    + e.getMessage(), e);
        }
        return out;
    }

    /** Element {@code i} of the int[] parked as argument {@code array} of {@link #park}. */
    synchronized int intAt(int array, int i) { // one buffer for every read
        return element(array, i, 4).getInt(0);
    }

    /** Element {@code i} of the byte[] parked as argument {@code array} of {@link #park}. */
    synchronized byte byteAt(int array, int i) {
        return element(array, i, 1).get(0);
    }

    private ByteBuffer element(int array, int i, int size) {
        if (i < 0 || i >= lengths[array]) {
            throw new IndexOutOfBoundsException(i);
        }
        long at = (long) i * size;
        for (int k = 0; k < array; k++) {
            at += (long) lengths[k] * (shapes[k] instanceof int[] ? 4 : shapes[k] instanceof byte[] ? 1 : 0);
        }
        one.clear().limit(size);
        try {
            while (one.hasRemaining()) {
                if (channel.read(one, at + one.position()) < 0) {
                    throw new EOFException("the file ends early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not read the heap tables parked there: "
                    + e.getMessage(), e);
        }
        return one;
    }

    /** Frees the file's space; nothing can be read from it afterwards. */
    void close() {
        close(channel);
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void read(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("the file ends early");
            }
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing was parked
            }
        }
    }

    private static void delete(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temp file left behind is all that happens
            }
        }
    }
}
