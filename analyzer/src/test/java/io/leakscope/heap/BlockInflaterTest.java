package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several threads inflating HotSpot's blocks give what one reader gives, byte for byte, failure for failure, and
 * the same members noted: on regular files, and where the search for members' headers is fooled (a header's
 * bytes inside a member, a member with another header, damage, trailing bytes, a cut file).
 */
@Timeout(120) // a lost wake-up fails the test instead of hanging the build
class BlockInflaterTest {
    @TempDir
    Path dir;

    private static final int BLOCK = 1 << 14; // small blocks: many members in a small file

    private static byte[] content(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(6) == 0 ? rnd.nextInt(256) : 'a' + i % 11);
        }
        return b;
    }

    /** A member stored uncompressed (level 0): its bytes, a header's look-alike among them, appear as they are. */
    private static byte[] storedMember(byte[] data) {
        return GzipBlocks.member(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, data, Deflater.NO_COMPRESSION);
    }

    private static byte[] plainGzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            z.write(data);
        }
        byte[] b = out.toByteArray();
        b[3] = 8; // FNAME: a header the search does not look for...
        byte[] named = new byte[b.length + 2];
        System.arraycopy(b, 0, named, 0, 10);
        named[10] = 'x'; // ...with its name
        System.arraycopy(b, 10, named, 12, b.length - 10);
        return named;
    }

    /** What the reader gave, then what it threw (null for nothing). */
    private record Outcome(byte[] bytes, String failure, long[] fileOffsets, long[] offsets) {
    }

    private static Outcome drain(InputStream in, GzipInput index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String failure = null;
        byte[] buf = new byte[5003];
        try (in) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        }
        return new Outcome(out.toByteArray(), failure, index.memberFileOffsets(), index.memberOffsets());
    }

    private int fellBack;

    private void assertSameAsOneReader(byte[] file, String what) throws IOException {
        Path f = Files.write(dir.resolve("f.gz"), file);
        GzipMembers one = new GzipMembers(FileChannel.open(f, StandardOpenOption.READ), 0, 0, true);
        Outcome expected = drain(one, one);
        for (int threads : new int[]{2, 3}) {
            BlockInflater blocks = new BlockInflater(f, BLOCK, threads);
            Outcome got = drain(blocks, blocks);
            fellBack += blocks.fellBack() ? 1 : 0;
            assertArrayEquals(expected.bytes, got.bytes, what);
            assertEquals(expected.failure, got.failure, what);
            if (expected.failure == null) {
                assertArrayEquals(expected.fileOffsets, got.fileOffsets, what);
                assertArrayEquals(expected.offsets, got.offsets, what);
            }
        }
    }

    @Test
    void givesWhatOneReaderGivesWhereverTheSearchIsFooled() throws IOException {
        Random rnd = new Random(17);
        for (int round = 0; round < 40; round++) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            int members = 1 + rnd.nextInt(12);
            for (int m = 0; m < members; m++) {
                byte[] data = content(rnd, m == members - 1 ? rnd.nextInt(BLOCK + 1) : BLOCK);
                int kind = m == 0 ? 0 : rnd.nextInt(8);
                if (kind == 1) {
                    // a header's look-alike inside a stored member: the search finds it, the reader must not
                    System.arraycopy(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, 3}, 0, data, data.length / 2,
                            Math.min(10, data.length - data.length / 2));
                    file.writeBytes(storedMember(data));
                } else if (kind == 2) {
                    file.writeBytes(plainGzip(data)); // another header: not found by the search
                } else if (kind == 3) {
                    file.writeBytes(GzipBlocks.member(content(rnd, BLOCK + 100), false)); // more than its block
                } else if (kind == 4) {
                    file.writeBytes(GzipBlocks.member(data, true)); // HotSpot's comment again, as its threads write
                } else {
                    file.writeBytes(GzipBlocks.member(data, m == 0));
                }
            }
            byte[] b = file.toByteArray();
            String what = "round " + round;
            switch (round % 5) {
                case 1 -> b = Arrays.copyOf(b, b.length + 7); // trailing zeros: ignored
                case 2 -> b = Arrays.copyOf(b, 11 + rnd.nextInt(b.length - 11)); // cut
                case 3 -> b[10 + rnd.nextInt(b.length - 10)] ^= (byte) (1 << rnd.nextInt(8)); // damaged
                default -> { }
            }
            assertSameAsOneReader(b, what);
        }
        assertTrue(fellBack > 20, "the fallback ran: " + fellBack); // and the parallel path too, on the rest
        assertTrue(fellBack < 80, "the fallback ran: " + fellBack);
    }

    @Test
    void readsRegularBlocksInParallelAndNotesEveryMember() throws IOException {
        byte[] data = content(new Random(2), 37 * BLOCK + 999);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += BLOCK) {
            file.writeBytes(GzipBlocks.member(Arrays.copyOfRange(data, at, Math.min(data.length, at + BLOCK)), at == 0));
        }
        Path f = Files.write(dir.resolve("regular.gz"), file.toByteArray());
        // many times over: the threads' order differs from run to run (a later member once took the slot an
        // earlier one waited for, and the reader waited for ever)
        for (int run = 0; run < 100; run++) {
            BlockInflater blocks = new BlockInflater(f, BLOCK, 2 + run % 3);
            Outcome got = drain(blocks, blocks);
            assertEquals(null, got.failure);
            assertFalse(blocks.fellBack());
            assertArrayEquals(data, got.bytes);
            assertEquals(38, got.offsets.length);
            for (int m = 0; m < 38; m++) {
                assertEquals((long) m * BLOCK, got.offsets[m]);
            }
            assertNotNull(got.fileOffsets);
        }
    }
}
