package io.leakscope.heap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A big-endian reader over a stream with its own buffer; {@link #offset()} is in the uncompressed dump. */
final class HprofSource implements AutoCloseable {
    final InputStream in;           // a gzip stream, or null
    final FileChannel channel;      // a plain file, or null: then it can seek
    final GzipInput gz;             // what inflates `in`, or null
    final long size;
    final byte[] buf = new byte[1 << 20];
    private final ByteBuffer window = ByteBuffer.wrap(buf);
    int pos;
    int lim;
    long base;
    boolean eof;

    /** {@code in} (which {@code gz} inflates) from {@code offset} of the inflated dump on. */
    HprofSource(InputStream in, GzipInput gz, long offset) {
        this.in = in;
        this.channel = null;
        this.gz = gz;
        this.size = Long.MAX_VALUE;
        this.base = offset;
    }

    HprofSource(FileChannel channel) throws IOException {
        this.in = null;
        this.channel = channel;
        this.gz = null;
        this.size = channel.size();
    }

    long offset() {
        return base + pos;
    }

    int remaining() {
        return lim - pos;
    }

    /** Plain files only: continue reading at {@code offset}. */
    void seek(long offset) throws IOException {
        if (offset >= base && offset <= base + lim) {
            pos = (int) (offset - base);
            return;
        }
        base = offset;
        pos = 0;
        lim = 0;
        eof = false;
        channel.position(offset);
    }

    boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r;
            if (channel != null) {
                window.limit(buf.length).position(lim);
                r = channel.read(window);
            } else {
                r = in.read(buf, lim, buf.length - lim);
            }
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    boolean skip(long n) throws IOException {
        if (n < 0) {
            return false;
        }
        long have = lim - pos;
        if (n <= have) {
            pos += (int) n;
            return true;
        }
        if (channel != null) {
            long to = offset() + n;
            seek(Math.min(to, size));
            return to <= size;
        }
        n -= have;
        base += lim;
        pos = 0;
        lim = 0;
        while (n > 0) {
            if (!ensure((int) Math.min(n, buf.length))) {
                base += lim;
                pos = lim = 0;
                return false;
            }
            int k = (int) Math.min(n, lim);
            pos += k;
            n -= k;
        }
        return true;
    }

    int u1() {
        return buf[pos++] & 0xff;
    }

    int u2() {
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u4() {
        int v = (int) HprofReader.INT_BE.get(buf, pos);
        pos += 4;
        return v;
    }

    long u8() {
        long v = (long) HprofReader.LONG_BE.get(buf, pos);
        pos += 8;
        return v;
    }

    long id(int size) {
        return size == 8 ? u8() : u4() & 0xffffffffL;
    }

    long idAt(int p, int size) {
        return size == 8 ? (long) HprofReader.LONG_BE.get(buf, p) : (int) HprofReader.INT_BE.get(buf, p) & 0xffffffffL;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        } else {
            in.close();
        }
    }
}
