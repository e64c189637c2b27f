package io.leakscope.collect;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Captures real processes started by the test. */
class CaptureSessionTest {
    @TempDir
    Path tmp;
    private Process target;

    @AfterEach
    void kill() {
        if (target != null) {
            target.destroyForcibly();
        }
    }

    /** Starts python3 and returns once it runs the code (before that, /proc shows the forking JVM's command line). */
    private Process python(String code) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", "print('ready', flush=True)\n" + code)
                .redirectErrorStream(true).start();
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertEquals("ready", first, "python3 did not start");
        return p;
    }

    @Test
    void capturesAGrowingProcessIntoAValidBundle() throws Exception {
        target = python("import time\nx=[]\nwhile True:\n    x.append(bytearray(200000))\n    time.sleep(0.02)\n");
        CaptureSession s = Attach.prepare(target.pid(), tmp,
                new Attach.Options(Duration.ofSeconds(3), Duration.ofMillis(500), 0, false, false, false),
                new PrintWriter(new StringWriter()));
        Path dir = s.run();
        Bundle b = Bundle.open(dir);
        assertEquals("completed", b.manifest().endReason());
        assertEquals(target.pid(), b.manifest().target().pid());
        assertTrue(b.manifest().target().commandLine().contains("python"), b.manifest().target().commandLine());
        assertTrue(b.manifest().limits().memTotalBytes() > 0);
        List<Series> series = SeriesCsv.read(b.resolve(b.artifacts(ArtifactKind.SERIES).stream()
                .filter(a -> a.path().endsWith("process.csv")).findFirst().orElseThrow()), "proc");
        Series rss = series.get(0);
        assertEquals("process.rss", rss.id());
        assertTrue(rss.size() >= 5, "a point at start and one per interval: " + rss.size());
        assertTrue(rss.last() > rss.values()[0] + 20e6, "the leak shows in RSS: " + rss.values()[0] + " -> " + rss.last());
    }

    @Test
    void targetExitingMidCaptureLeavesAValidBundleThatSaysSo() throws Exception {
        target = python("import time\ntime.sleep(1.5)\n");
        CaptureSession s = Attach.prepare(target.pid(), tmp,
                new Attach.Options(Duration.ofSeconds(30), Duration.ofMillis(300), 0, false, false, false),
                new PrintWriter(new StringWriter()));
        Path dir = s.run();
        assertTrue(target.waitFor(5, TimeUnit.SECONDS));
        Bundle b = Bundle.open(dir);
        assertEquals("target-exited", b.manifest().endReason());
        assertTrue(b.manifest().events().stream().anyMatch(e -> e.kind().equals("target-exit")));
        assertTrue(b.manifest().captureEnd() != null);
    }

    @Test
    void requestStopEndsEarlyAsInterrupted() throws Exception {
        target = python("import time\ntime.sleep(60)\n");
        CaptureSession s = Attach.prepare(target.pid(), tmp,
                new Attach.Options(Duration.ofSeconds(60), Duration.ofMillis(200), 0, false, false, false),
                new PrintWriter(new StringWriter()));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                return;
            }
            s.requestStop();
        });
        stopper.start();
        Path dir = s.run();
        assertEquals("interrupted", Bundle.open(dir).manifest().endReason());
    }

    @Test
    void goneOrInvalidPidIsOneLine() throws Exception {
        Process p = python("pass");
        p.waitFor(10, TimeUnit.SECONDS);
        long gone = p.pid();
        InputException e = assertThrows(InputException.class, () -> Attach.checkPid(ProcFs.system(), gone));
        assertEquals("PID " + gone + ": no such process", e.getMessage());
        assertThrows(InputException.class, () -> Attach.checkPid(ProcFs.system(), -5));
    }
}
