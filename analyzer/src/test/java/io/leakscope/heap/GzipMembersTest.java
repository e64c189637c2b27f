package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Members inflated as GZIPInputStream inflates them, with where each starts; reading from any member on. */
class GzipMembersTest {
    @TempDir
    Path dir;

    /** Compressible bytes (a dump's are), {@code n} of them. */
    private static byte[] content(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : 'a' + i % 13);
        }
        return b;
    }

    /** A member as HotSpot writes them; the first with every optional header field, its comment HotSpot's. */
    private static byte[] member(byte[] data, boolean fancyHeader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!fancyHeader) {
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        header.writeBytes(new byte[]{3, 0, 'x', 'y', 'z'}); // FEXTRA
        header.writeBytes("name\0".getBytes());             // FNAME
        header.writeBytes((GzipMembers.HOTSPOT_BLOCKS + "1048576\0").getBytes()); // FCOMMENT
        CRC32 hc = new CRC32();
        hc.update(header.toByteArray());
        header.write((int) hc.getValue() & 0xff);
        header.write((int) (hc.getValue() >>> 8) & 0xff);   // FHCRC
        return GzipBlocks.member(header.toByteArray(), data, Deflater.BEST_SPEED);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7919]; // odd reads cross member boundaries anywhere
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private GzipMembers open(Path file, long fileOffset, long offset, boolean note) throws IOException {
        return new GzipMembers(FileChannel.open(file, StandardOpenOption.READ), fileOffset, offset, note);
    }

    @Test
    void inflatesLikeGzipInputStreamAndNotesWhereEachMemberStarts() throws IOException {
        Random rnd = new Random(3);
        for (int round = 0; round < 20; round++) {
            int count = 1 + rnd.nextInt(6);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            long[] fileAt = new long[count];
            long[] at = new long[count];
            for (int m = 0; m < count; m++) {
                byte[] data = content(rnd, m == count - 1 ? rnd.nextInt(5000) : 1 + rnd.nextInt(300_000));
                fileAt[m] = file.size();
                at[m] = all.size();
                file.writeBytes(member(data, m == 0 && round % 2 == 0));
                all.writeBytes(data);
            }
            if (round % 3 == 0) {
                file.writeBytes(new byte[]{0, 0, 0, 0}); // trailing bytes that are no member: ignored
            }
            Path f = Files.write(dir.resolve("m" + round + ".gz"), file.toByteArray());
            try (InputStream jdk = new GZIPInputStream(Files.newInputStream(f))) {
                assertArrayEquals(jdk.readAllBytes(), all.toByteArray());
            }
            try (GzipMembers g = open(f, 0, 0, true)) {
                assertEquals(round % 2 == 0, g.hotspotBlocks());
                assertArrayEquals(all.toByteArray(), readAll(g), "round " + round);
                assertEquals(count, g.members());
                assertArrayEquals(fileAt, g.memberFileOffsets());
                assertArrayEquals(at, g.memberOffsets());
                assertTrue(g.fileBytesRead() >= fileAt[count - 1]);
            }
            int m = rnd.nextInt(count); // from any member on: the rest of the stream
            try (GzipMembers g = open(f, fileAt[m], at[m], false)) {
                byte[] all2 = all.toByteArray();
                assertArrayEquals(Arrays.copyOfRange(all2, (int) at[m], all2.length), readAll(g));
            }
        }
    }

    @Test
    void damageIsAZipOrEofExceptionAsGzipInputStreamSays() throws IOException {
        byte[] data = content(new Random(5), 200_000);
        byte[] one = member(data, true);
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);

        byte[] badCrc = two.clone();
        badCrc[one.length - 8] ^= 1;
        assertThrows(ZipException.class, () -> readAll(open(Files.write(dir.resolve("crc.gz"), badCrc), 0, 0, false)));

        byte[] badHeaderCrc = two.clone();
        badHeaderCrc[10 + 5 + 5 + GzipMembers.HOTSPOT_BLOCKS.length() + 8] ^= 1;
        assertThrows(ZipException.class, () -> open(Files.write(dir.resolve("hcrc.gz"), badHeaderCrc), 0, 0, false));

        byte[] cut = Arrays.copyOf(two, one.length + one.length / 2);
        EOFException eof = assertThrows(EOFException.class,
                () -> readAll(open(Files.write(dir.resolve("cut.gz"), cut), 0, 0, false)));
        assertTrue(eof.getMessage().contains("Unexpected end"), eof.getMessage());

        byte[] notGzip = "JAVA PROFILE 1.0.2".getBytes();
        assertThrows(ZipException.class, () -> open(Files.write(dir.resolve("plain"), notGzip), 0, 0, false));
        assertThrows(EOFException.class, () -> open(Files.write(dir.resolve("empty.gz"), new byte[0]), 0, 0, false));

        byte[] noise = two.clone();
        for (int i = 200; i < 260; i++) {
            noise[i] = (byte) (noise[i] * 31 + 7);
        }
        IOException e = assertThrows(IOException.class,
                () -> readAll(open(Files.write(dir.resolve("noise.gz"), noise), 0, 0, false)));
        assertFalse(e instanceof java.nio.file.NoSuchFileException);
    }
}
