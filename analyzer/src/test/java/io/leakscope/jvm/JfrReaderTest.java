package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records this JVM with JFR while it retains memory, then reads the recording. */
class JfrReaderTest {
    @TempDir
    Path tmp;

    /** Retained on purpose: the recording must see it grow. */
    static final List<long[]> RETAINED = new ArrayList<>();

    @Test
    void heapAfterGcAndClassSeriesFromARealRecording() throws Exception {
        Path file = tmp.resolve("r.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.GCHeapSummary");
            r.enable("jdk.G1HeapSummary");
            r.enable("jdk.PSHeapSummary");
            r.enable("jdk.MetaspaceSummary");
            r.enable("jdk.ObjectCountAfterGC");
            r.enable("jdk.ObjectCount").withPeriod(Duration.ofMillis(200));
            r.enable("jdk.ClassLoadingStatistics").withPeriod(Duration.ofMillis(200));
            r.start();
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 200; k++) {
                    RETAINED.add(new long[1024]); // 8 KB each, 1.6 MB a round
                }
                System.gc();
                Thread.sleep(250);
            }
            r.stop();
            r.dump(file);
        }
        FindingsBuilder out = new FindingsBuilder();
        new JfrReader().read(file, null, out);
        Series heap = out.series.get("jvm.heap.after_gc");
        assertNotNull(heap);
        assertEquals("total", heap.role());
        assertTrue(heap.size() >= 6, "one point per GC: " + heap.size());
        assertTrue(heap.last() > heap.values()[0] + 5e6, "the retained arrays show: " + heap.values()[0] + " -> " + heap.last());
        assertEquals("context", out.series.get("jvm.heap.used").role());
        assertNotNull(out.series.get("jvm.metaspace.used"));
        assertTrue(out.series.get("jvm.classes.loaded").last() > 500, "a JVM running JUnit has loaded classes");
        Series longs = out.series.get("class.long[].bytes");
        assertNotNull(longs, "per-class series from ObjectCount: " + out.series.keySet());
        assertEquals("jvm.heap.after_gc", longs.parent());
        assertTrue(longs.last() > 5e6);
        for (int i = 1; i < longs.size(); i++) {
            assertTrue(longs.timeMs()[i] > longs.timeMs()[i - 1], "times strictly increase");
        }
        RETAINED.clear();

        // the same real recording cut short anywhere: one line naming the file, or a partial read with a note
        byte[] all = Files.readAllBytes(file);
        for (int pct : new int[] {3, 10, 30, 50, 70, 90, 99}) {
            Path cut = tmp.resolve("cut-" + pct + ".jfr");
            Files.write(cut, java.util.Arrays.copyOf(all, all.length * pct / 100));
            FindingsBuilder b = new FindingsBuilder();
            try {
                new JfrReader().read(cut, null, b);
                assertTrue(b.notes.stream().anyMatch(n -> n.message().contains("JFR file")), pct + "%: " + b.notes);
            } catch (InputException e) {
                assertTrue(e.getMessage().startsWith(cut + ": not a readable JFR recording"), e.getMessage());
            }
        }
    }

    /**
     * Recordings other JVMs write with -XX:StartFlightRecording, under each of their collectors: JDK 17's own,
     * and JDK 8's and 11's where scripts/install-test-deps.sh unpacked them. Their events differ in shape from
     * one JDK and collector to the next; each is read whole, no event skipped (every Parallel recording, JDK 8's
     * default, was cut short at the first PSHeapSummary before), the old generation from Parallel's and G1's.
     */
    @Test
    void recordingsOfEveryCollectorOnJdk8To17() throws Exception {
        Path src = tmp.resolve("Retain.java");
        Files.writeString(src, String.join("\n",
                "import java.util.ArrayList;",
                "import java.util.List;",
                "public class Retain {",
                "    public static void main(String[] args) throws Exception {",
                "        List<long[]> keep = new ArrayList<long[]>();",
                "        for (int i = 0; i < 6; i++) {",
                "            for (int k = 0; k < 200; k++) {",
                "                keep.add(new long[1024]);",
                "            }",
                "            System.gc();",
                "            Thread.sleep(200);",
                "        }",
                "        System.out.println(keep.size());",
                "    }",
                "}", ""));
        List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        io.leakscope.heap.TestJdks.exactly(8).ifPresent(homes::add);
        io.leakscope.heap.TestJdks.exactly(11).ifPresent(homes::add);
        for (Path home : homes) {
            int version = io.leakscope.heap.TestJdks.version(home);
            Path classes = tmp.resolve("classes-" + version);
            io.leakscope.heap.TestJdks.javac(home, classes, src);
            // every collector of that JDK: the old generation's use is in Parallel's and G1's own summaries
            List<String> collectors = new ArrayList<>(List.of("Parallel", "G1", "Serial"));
            if (version == 8) {
                collectors.add("ConcMarkSweep");
            }
            if (version >= 17) {
                collectors.addAll(List.of("Z", "Shenandoah"));
            }
            for (String gc : collectors) {
                String what = "JDK " + version + " " + gc;
                Path jfr = tmp.resolve(version + "-" + gc + ".jfr");
                run(home.resolve("bin/java").toString(), "-XX:+Use" + gc + "GC", "-Xmx256m",
                        "-XX:StartFlightRecording=filename=" + jfr + ",dumponexit=true", "-cp", classes.toString(),
                        "Retain");
                FindingsBuilder out = new FindingsBuilder();
                new JfrReader().read(jfr, null, out);
                assertTrue(out.notes.stream().noneMatch(n -> n.message().contains("not read")
                        || n.message().contains("JFR file")), what + ": " + out.notes);
                Series heap = out.series.get("jvm.heap.after_gc");
                assertTrue(heap != null && heap.size() >= 6, what + ": " + out.series.keySet());
                // from the lowest point, not the first: a collection can run while the recording starts, before
                // the start-up's garbage is gone (JDK 17's ZGC: 20 MB after it, then 14, 16, ... 24)
                double low = java.util.Arrays.stream(heap.values()).min().getAsDouble();
                assertTrue(heap.last() > low + 5e6, what + ": " + java.util.Arrays.toString(heap.values()));
                Series old = out.series.get("jvm.oldgen.after_gc");
                if (gc.equals("Parallel") || gc.equals("G1")) {
                    assertTrue(old != null && old.last() > old.values()[0] + 5e6, what + ": " + out.series.keySet());
                }
                assertNotNull(out.series.get("jvm.metaspace.used"), what);
            }
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                String.join(" ", cmd) + ": " + said);
    }

    @Test
    void truncatedRecordingIsOneLineErrorOrPartial() throws IOException {
        Path f = tmp.resolve("cut.jfr");
        Files.write(f, new byte[]{'F', 'L', 'R', 0, 0, 2, 0, 1, 0, 0});
        InputException e = assertThrows(InputException.class, () -> new JfrReader().read(f, null, new FindingsBuilder()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
