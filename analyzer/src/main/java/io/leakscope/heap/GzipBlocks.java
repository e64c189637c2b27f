package io.leakscope.heap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a heap dump the way {@code jcmd PID GC.heap_dump -gz=1} does: independent gzip members of 1 MiB of
 * dump each, the first with "HPROF BLOCKSIZE=1048576" as its header comment. Any gzip reader reads the result
 * as one stream; leakscope's reads it in parallel parts ({@link GzipMembers}), and the blocks are compressed in
 * parallel here. For the dumps leakscope takes itself: HotSpot compresses only when asked by jcmd, which the
 * attach API's DiagnosticCommand MBean does not offer.
 */
public final class GzipBlocks {
    /** Dump bytes in one member, as HotSpot writes them. */
    public static final int BLOCK = 1 << 20;

    private GzipBlocks() {
    }

    /** Writes {@code in}, compressed in blocks by {@code threads} threads, to {@code out} (not closed). */
    public static void write(InputStream in, OutputStream out, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "leakscope-gzip");
            t.setDaemon(true);
            return t;
        });
        try {
            // a few blocks ahead of the writer, in order
            ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
            boolean first = true;
            while (true) {
                byte[] block = in.readNBytes(BLOCK);
                if (block.length == 0 && !first) {
                    break;
                }
                boolean withComment = first;
                pending.add(pool.submit(() -> member(block, withComment)));
                first = false;
                if (pending.size() > 2 * threads) {
                    out.write(take(pending));
                }
                if (block.length < BLOCK) {
                    break;
                }
            }
            while (!pending.isEmpty()) {
                out.write(take(pending));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] take(ArrayDeque<Future<byte[]>> pending) throws IOException {
        try {
            return pending.poll().get();
        } catch (ExecutionException e) {
            throw HprofReader.rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing a heap dump");
        }
    }

    /** One gzip member (RFC 1952) holding {@code data}; with HotSpot's comment when {@code first}. */
    static byte[] member(byte[] data, boolean first) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        // magic, deflate, flags (FCOMMENT on the first), no time, "fastest" (level 1), Unix: as HotSpot's zlib
        header.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, (byte) (first ? 16 : 0), 0, 0, 0, 0, 4, 3});
        if (first) {
            header.writeBytes((GzipMembers.HOTSPOT_BLOCKS + BLOCK).getBytes(StandardCharsets.ISO_8859_1));
            header.write(0);
        }
        return member(header.toByteArray(), data, Deflater.BEST_SPEED);
    }

    /** A member of {@code header} (written as given), {@code data} deflated at {@code level}, and the trailer. */
    static byte[] member(byte[] header, byte[] data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + header.length + 64);
        out.writeBytes(header);
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buf = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        for (long v : new long[]{crc.getValue(), data.length}) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }
}
