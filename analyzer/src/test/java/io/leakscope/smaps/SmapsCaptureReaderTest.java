package io.leakscope.smaps;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A smaps capture taken the way docs/formats.md tells users to: copies of /proc files of a real process. */
class SmapsCaptureReaderTest {
    @TempDir
    Path tmp;

    @Test
    void snapshotsOfALeakingPythonProcessBecomeSeries() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", """
                import time
                print('ready', flush=True)
                keep = []
                while True:
                    keep.append(bytes(65536) + b'x')
                    time.sleep(0.02)
                """).redirectErrorStream(true).start();
        try {
            assertEquals("ready", new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            Path dir = Files.createDirectory(tmp.resolve("loop"));
            for (int i = 0; i < 8; i++) {
                long t = System.currentTimeMillis();
                Files.copy(Path.of("/proc", Long.toString(p.pid()), "status"), dir.resolve("status." + t));
                Files.copy(Path.of("/proc", Long.toString(p.pid()), "smaps"), dir.resolve("smaps." + t));
                Thread.sleep(400);
            }
            Findings f = Analyzer.standard("test").analyze(List.of(dir));
            Series rss = f.series().stream().filter(s -> s.id().equals("process.rss")).findFirst().orElseThrow();
            assertEquals(8, rss.size());
            assertTrue(rss.last() - rss.values()[0] > 5e6, "3 MiB/s kept: " + rss.values()[0] + " → " + rss.last());
            Series heap = f.series().stream().filter(s -> s.id().equals("smaps.[heap].rss") || s.id().equals("smaps.anon.rss"))
                    .max((a, b) -> Double.compare(a.last() - a.values()[0], b.last() - b.values()[0])).orElseThrow();
            assertTrue(heap.last() - heap.values()[0] > 5e6, "the growth is in the malloc heap: " + heap.id());
            assertEquals("process.rss", heap.parent());

            // the same directory packed the way a user ships it: tar czf (and plain tar), read without unpacking
            for (String flags : List.of("czf", "cf")) {
                Path tar = tmp.resolve("loop." + flags);
                assertEquals(0, new ProcessBuilder("tar", flags, tar.toString(), "-C", tmp.toString(), "loop").inheritIO()
                        .start().waitFor());
                Findings ft = Analyzer.standard("test").analyze(List.of(tar));
                Series rt = ft.series().stream().filter(s -> s.id().equals("process.rss")).findFirst().orElseThrow();
                assertEquals(java.util.Arrays.toString(rss.values()), java.util.Arrays.toString(rt.values()), flags);
                assertEquals(f.series().size(), ft.series().size(), flags);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aDirectoryWithoutSnapshotsIsOneLine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(dir.resolve("notes.txt"), "nothing here");
        InputException e = assertThrows(InputException.class, () -> Analyzer.standard("test").analyze(List.of(dir)));
        assertTrue(e.getMessage().startsWith(dir + ": not a bundle or a smaps capture"), e.getMessage());

        Path tar = tmp.resolve("notes.tgz");
        assertEquals(0, new ProcessBuilder("tar", "czf", tar.toString(), "-C", tmp.toString(), "empty").start().waitFor());
        e = assertThrows(InputException.class, () -> Analyzer.standard("test").analyze(List.of(tar)));
        assertEquals(tar + ": a tar without smaps capture files (expected status.EPOCH, smaps_rollup.EPOCH or smaps.EPOCH;"
                + " see docs/formats.md)", e.getMessage());
    }
}
