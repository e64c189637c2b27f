package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocks as jcmd -gz writes them: any gzip reader reads them back; ours finds every member. */
class GzipBlocksTest {
    @Test
    void writesHotspotBlocksEveryGzipReaderReads(@TempDir Path dir) throws IOException {
        Random rnd = new Random(1);
        for (int size : new int[]{0, 1, GzipBlocks.BLOCK - 1, GzipBlocks.BLOCK, 3 * GzipBlocks.BLOCK + 12345}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : i % 7);
            }
            Path f = dir.resolve("d" + size + ".gz");
            try (OutputStream out = Files.newOutputStream(f)) {
                GzipBlocks.write(new ByteArrayInputStream(data), out, 2);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                assertArrayEquals(data, in.readAllBytes(), "size " + size);
            }
            try (GzipMembers g = new GzipMembers(FileChannel.open(f, StandardOpenOption.READ), 0, 0, true)) {
                assertTrue(g.hotspotBlocks());
                assertArrayEquals(data, g.readAllBytes());
                int blocks = Math.max(1, (size + GzipBlocks.BLOCK - 1) / GzipBlocks.BLOCK);
                assertEquals(blocks, g.members(), "size " + size);
                long[] at = g.memberOffsets();
                for (int m = 0; m < blocks; m++) {
                    assertEquals((long) m * GzipBlocks.BLOCK, at[m]);
                }
            }
        }
    }
}
