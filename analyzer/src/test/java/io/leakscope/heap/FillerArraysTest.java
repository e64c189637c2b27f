package io.leakscope.heap;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Note;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G1 on JDK 19+ lays a filler array over the rest of a region after a humongous array, and a heap dump lists
 * it (as an int[], unreachable): a dump of 40 arrays of 600 KB in 1 MB regions holds 40 fillers of ~424 KB.
 * The findings say how much of the dump is unreachable and what it is, so its size is not a riddle.
 */
class FillerArraysTest {
    @TempDir
    Path tmp;

    /** Holds 40 humongous byte arrays, then dumps its live objects to args[0]. */
    public static final class Humongous {
        static final List<byte[]> KEEP = new ArrayList<>();

        public static void main(String[] args) throws Exception {
            for (int i = 0; i < 40; i++) {
                KEEP.add(new byte[600 << 10]);
            }
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
        }
    }

    @Test
    void theFillersOfHumongousRegionsAreSaidToBeUnreachable() throws Exception {
        Optional<Path> jdk = TestJdks.from(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ installed next to this one");
        Path dump = tmp.resolve("humongous.hprof");
        Process p = new ProcessBuilder(jdk.get().resolve("bin/java").toString(), "-Xmx64m", "-XX:+UseG1GC",
                "-XX:G1HeapRegionSize=1m", "-cp", System.getProperty("java.class.path"), Humongous.class.getName(),
                dump.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);

        Findings f = Analyzer.standard("test").analyze(List.of(dump));
        String note = f.notes().stream().map(Note::message).filter(m -> m.contains("not reachable from a GC root"))
                .findFirst().orElseThrow(() -> new AssertionError(f.notes().toString()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("most of it (\\d+) int\\[\\] \\(([0-9.]+) MiB\\)")
                .matcher(note);
        assertTrue(m.find(), note);
        // a filler per humongous array, each the region's rest: 1 MB - 600 KB - the array's header
        assertTrue(Integer.parseInt(m.group(1)) >= 40, note);
        assertTrue(Double.parseDouble(m.group(2)) >= 40 * 424 / 1024.0 - 0.5, note);
        assertTrue(note.contains("a dump lists the JVM's filler arrays as int[]"), note);
        // the analysis holds the arrays, not their fillers
        io.leakscope.findings.Heap.DumpSummary d = f.heap().dumps().get(0);
        assertTrue(d.reachableBytes() >= 40L * (600 << 10), d.toString());
        assertTrue(d.shallowBytes() - d.reachableBytes() >= 40L * (424 << 10) - (512 << 10), d.toString());
    }
}
