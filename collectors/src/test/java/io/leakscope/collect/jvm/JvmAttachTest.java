package io.leakscope.collect.jvm;

import io.leakscope.analyze.Analyzer;
import io.leakscope.bundle.Artifact;
import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.collect.Attach;
import io.leakscope.collect.CaptureSession;
import io.leakscope.findings.Findings;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import io.leakscope.samples.SampleAgent;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Attaches to real sample JVMs started by the test (JDK 17, the test's own JDK, and Temurin 25) and checks
 * the bundle, the findings, and that nothing of ours is left running or open in the target afterwards.
 */
class JvmAttachTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @TempDir
    Path tmp;
    private final List<Process> targets = new ArrayList<>();

    @AfterEach
    void kill() {
        for (Process p : targets) {
            p.destroyForcibly();
        }
    }

    private Process start(String java, String scenario, String... jvmArgs) throws Exception {
        String cp = Path.of(SampleAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", cp, SampleAgent.class.getName()));
        cmd.addAll(List.of(scenario.split(" ")));
        return launch(cmd);
    }

    private Process launch(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        targets.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("ready"), "sample started: " + line);
        // keep draining its output so it never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static String java17() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private Path capture(Process p, int seconds, double intervalSeconds, int heapDumps, boolean nativeMem) throws IOException {
        return capture(p, new Attach.Options(Duration.ofSeconds(seconds), Duration.ofMillis((long) (intervalSeconds * 1000)),
                heapDumps, nativeMem, false, false));
    }

    private Path capture(Process p, Attach.Options o) throws IOException {
        return Attach.prepare(p.pid(), tmp, o, new PrintWriter(new StringWriter())).run();
    }

    private static Map<String, Integer> eventCounts(Path jfr) throws IOException {
        Map<String, Integer> n = new HashMap<>();
        try (RecordingFile rf = new RecordingFile(jfr)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                n.merge(e.getEventType().getName(), 1, Integer::sum);
            }
        }
        return n;
    }

    /** The target still runs, has no recording of ours, and no file of ours open. */
    private void assertNothingLeftIn(Process p, Path bundle) throws IOException {
        assertTrue(p.isAlive(), "the target keeps running");
        try (JvmConnection c = JvmConnection.open(p.pid())) {
            String check = c.dcmd("jfrCheck");
            assertFalse(check.contains("leakscope-"), "no recording of ours: " + check);
        }
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException ignored) {
                    // closed meanwhile
                }
            }
        }
        String dir = bundle.getParent().toString();
        assertTrue(open.stream().noneMatch(f -> f.startsWith(dir) || f.contains("leakscope-lib")),
                "no file of ours open in the target: " + open);
    }

    @Test
    void leakingJdk17TargetGivesJfrNmtHistogramsDumpsAndProcessSeries() throws Exception {
        Process p = start(java17(), "history --rate 100", "-XX:NativeMemoryTracking=summary");
        Path dir = capture(p, 8, 1, 1, false);
        Bundle b = Bundle.open(dir);
        assertEquals("completed", b.manifest().endReason());
        assertEquals("jvm", b.manifest().target().kind());
        assertEquals("summary", b.manifest().target().jvm().nmtMode());
        assertEquals(64L << 20, b.manifest().target().jvm().maxHeapBytes());
        assertEquals(64L << 20, b.manifest().limits().maxHeapBytes());

        Map<String, Integer> jfr = eventCounts(b.resolve(b.artifacts(ArtifactKind.JFR).get(0)));
        assertTrue(jfr.getOrDefault("jdk.GCHeapSummary", 0) > 0, "GC heap summaries: " + jfr);
        // per-class counts: from the histograms' heap inspections (no periodic ObjectCount in a short capture)
        assertTrue(jfr.getOrDefault("jdk.ObjectCountAfterGC", 0) + jfr.getOrDefault("jdk.ObjectCount", 0) > 0,
                "object counts: " + jfr);
        // at the start and every interval of 8 s; a loaded machine makes the loop skip late ticks, so not all 9
        assertTrue(b.artifacts(ArtifactKind.NMT).size() >= 3, "NMT at start and every interval");
        List<Artifact> histograms = b.artifacts(ArtifactKind.HISTOGRAM);
        assertEquals(2, histograms.size(), "start and end");
        assertTrue(histograms.stream().allMatch(h -> h.attributes().containsKey("callMs")));
        assertEquals(2, b.manifest().events().stream().filter(e -> e.kind().equals("histogram") && e.durationMs() != null).count());
        List<Artifact> dumps = b.artifacts(ArtifactKind.HPROF);
        assertEquals(1, dumps.size());
        byte[] head = new byte[18];
        try (var in = Files.newInputStream(b.resolve(dumps.get(0)))) {
            in.readNBytes(head, 0, head.length);
        }
        assertTrue(new String(head, StandardCharsets.ISO_8859_1).startsWith("JAVA PROFILE 1.0."));
        assertTrue(b.manifest().events().stream().anyMatch(e -> e.kind().equals("heap-dump") && e.durationMs() != null
                && e.detail().contains("on one thread")), "JDK 17 dumps on one thread: " + b.manifest().events());
        assertEquals(List.of("series/process.csv", "series/smaps.csv"),
                b.artifacts(ArtifactKind.SERIES).stream().map(a -> a.path()).sorted().toList(), "the process series");

        Findings f = Analyzer.standard("test").analyze(List.of(dir));
        Map<String, Series> series = new HashMap<>();
        f.series().forEach(s -> series.put(s.id(), s));
        assertTrue(series.get("nmt.total.committed").size() >= 5);
        assertEquals("nmt.total.committed", series.get("nmt.Other.committed").parent());
        Series heap = series.get("jvm.heap.after_gc");
        assertTrue(heap.size() >= 3, "heap after every GC: " + heap.size());
        assertTrue(series.keySet().stream().anyMatch(id -> id.startsWith("class.") && id.endsWith(".bytes")));
        assertNotNull(series.get("process.rss"));
        assertEquals("summary", f.nativeMemory().nmtMode());
        assertStopsTimed(f);

        assertNothingLeftIn(p, dir);
    }

    /**
     * Each heap dump and class histogram says how long it stopped the target, from the target's own JFR
     * recording: above zero and within the call's time.
     */
    private static void assertStopsTimed(Findings f) {
        List<io.leakscope.findings.Capture.Event> stops = f.capture().events().stream()
                .filter(e -> e.kind().equals("heap-dump") || e.kind().equals("histogram")).toList();
        assertEquals(3, stops.size(), stops.toString());
        for (io.leakscope.findings.Capture.Event e : stops) {
            assertTrue(e.stoppedMs() != null && e.stoppedMs() > 0 && e.stoppedMs() <= e.durationMs(), e.toString());
        }
    }

    /**
     * A JDK 21+ target writes its heap dump on several threads (GC.heap_dump -parallel through jcmd), as its own
     * log says; the dump reads whole, and the stop is timed from the target's recording.
     */
    @Test
    void jdk25TargetWritesItsHeapDumpOnSeveralThreads() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "Temurin 25 not installed at " + JDK25);
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one processor: one dump thread");
        // not beside the bundle, where the target must hold no file open
        Path logs = Files.createTempDirectory("leakscope-test-heapdump");
        Path log = logs.resolve("heapdump.log");
        // G1 sizes its active workers to the heap, and HotSpot dumps on no more threads than those: all of them
        // here, so that the small test heap is dumped as a big one would be
        Process p = start(JDK25.toString(), "history --rate 100", "-XX:+UseG1GC", "-XX:-UseDynamicNumberOfGCThreads",
                "-Xlog:heapdump:file=" + log);
        Path dir = capture(p, 8, 1, 1, false);
        Bundle b = Bundle.open(dir);
        String said = Files.readString(log);
        int cpus = Runtime.getRuntime().availableProcessors();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "Requested dump threads (\\d+), active dump threads \\d+, actual dump threads (\\d+), parallelism true")
                .matcher(said);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) == cpus && Integer.parseInt(m.group(2)) >= 2, said);
        assertTrue(b.manifest().events().stream().anyMatch(e -> e.kind().equals("heap-dump")
                && e.detail().contains("on up to " + Runtime.getRuntime().availableProcessors() + " threads")),
                b.manifest().events().toString());
        Findings f = Analyzer.standard("test").analyze(List.of(dir));
        assertFalse(f.heap().dumps().get(0).partial());
        assertTrue(f.heap().dumps().get(0).objects() > 10_000);
        assertStopsTimed(f);
        assertNothingLeftIn(p, dir);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.delete(log);
        Files.delete(logs);
    }

    /**
     * JDK 8 and 11 targets (OpenJDK from Debian sid, which scripts/install-test-deps.sh unpacks) and JDK 17,
     * running a small leaking program compiled by their own javac, under their default collectors (JDK 8:
     * Parallel): the same bundle from each, and its JFR recording read whole (JDK 8's used to stop at the first
     * PSHeapSummary, whose old generation's use leakscope read from the wrong field); async-profiler's native
     * allocations in each, its live Java allocations where it has them (JDK 11 on: JDK 8's --native failed with
     * its --alloc, "could not load …: 200").
     */
    @Test
    void jdk8And11And17TargetsGiveTheSameBundle() throws Exception {
        Path src = tmp.resolve("src/Leaky.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, String.join("\n",
                "import java.util.ArrayList;",
                "import java.util.List;",
                "public class Leaky {",
                "    static final List<byte[]> HISTORY = new ArrayList<byte[]>();",
                "    public static void main(String[] args) throws Exception {",
                "        System.out.println(\"ready\");",
                "        while (true) {",
                "            HISTORY.add(new byte[10240]);",
                "            Thread.sleep(10);",
                "        }",
                "    }",
                "}", ""));
        for (int version : new int[] {8, 11, 17}) {
            Path home = version == 17 ? Path.of(System.getProperty("java.home")) : testJdk(version);
            Path classes = Files.createDirectories(tmp.resolve("classes-" + version));
            Process javac = new ProcessBuilder(home.resolve("bin/javac").toString(), "-d", classes.toString(),
                    src.toString()).redirectErrorStream(true).start();
            String said = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(javac.waitFor(60, TimeUnit.SECONDS) && javac.exitValue() == 0, said);
            Process p = launch(List.of(home.resolve("bin/java").toString(), "-Xmx64m",
                    "-XX:NativeMemoryTracking=summary", "-cp", classes.toString(), "Leaky"));
            Path dir = capture(p, new Attach.Options(Duration.ofSeconds(6), Duration.ofSeconds(1), 1, true, true,
                    false));
            Bundle b = Bundle.open(dir);
            String what = "JDK " + version + ": ";
            // async-profiler in each: native allocations everywhere, live Java allocations from JDK 11 on
            List<Artifact> nativeJfr = b.artifacts(ArtifactKind.NATIVE_JFR);
            assertEquals(1, nativeJfr.size(), what + b.manifest().notes());
            assertEquals(version == 8 ? "off" : "512k,live", nativeJfr.get(0).attributes().get("alloc"), what);
            assertEquals(version == 8, b.manifest().notes().stream().anyMatch(n -> n.message().startsWith(
                    "--alloc not captured: async-profiler tracks live Java allocations on JDK 11 and later, and PID "
                    + p.pid() + " runs Java 1.8; --native runs")), what + b.manifest().notes());
            assertEquals("completed", b.manifest().endReason(), what);
            assertTrue(b.manifest().target().jvm().version().startsWith(version == 8 ? "1.8.0" : version + "."),
                    what + b.manifest().target().jvm().version());
            assertEquals("summary", b.manifest().target().jvm().nmtMode(), what);
            assertTrue(b.artifacts(ArtifactKind.NMT).size() >= 3, what + "NMT at start and every interval");
            assertEquals(2, b.artifacts(ArtifactKind.HISTOGRAM).size(), what);
            assertEquals(1, b.artifacts(ArtifactKind.HPROF).size(), what);
            Map<String, Integer> jfr = eventCounts(b.resolve(b.artifacts(ArtifactKind.JFR).get(0)));
            assertTrue(jfr.getOrDefault("jdk.GCHeapSummary", 0) > 0, what + jfr);

            Findings f = Analyzer.standard("test").analyze(List.of(dir));
            assertTrue(f.notes().stream().noneMatch(n -> n.message().contains("JFR file")
                    || n.message().contains("not read")), what + f.notes());
            assertTrue(f.series().stream().anyMatch(s -> s.id().equals("jvm.heap.after_gc") && s.size() >= 3),
                    what + "a point for each full GC the histograms and the dump ran");
            assertTrue(f.series().stream().anyMatch(s -> s.id().equals("nmt.total.committed")), what);
            assertFalse(f.heap().dumps().get(0).partial(), what);
            // the main class holds the list: the class is the suspect and names its field, or, when the dump
            // caught main inside HISTORY.add (the list a local variable of that frame too, so the class does not
            // dominate it), the list is, held by that field
            String top = f.heap().suspects().get(0).description();
            assertTrue((top.startsWith("Class Leaky retains ") && top.contains(" through its static field HISTORY;"))
                    || top.startsWith("One instance of java.util.ArrayList, held by the static field Leaky.HISTORY,"),
                    what + f.heap().suspects());
            assertTrue(top.contains("the memory accumulates in java.lang.Object[]"), what + top);
            assertStopsTimed(f);
            assertNothingLeftIn(p, dir);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** JDK {@code version} as scripts/install-test-deps.sh unpacks it: skipped without it, failed under CI. */
    private static Path testJdk(int version) {
        String own = System.getenv("LEAKSCOPE_TEST_JDKS");
        Path home = (own != null && !own.isEmpty() ? Path.of(own)
                : Path.of(System.getProperty("user.home"), ".cache", "leakscope", "test-jdks")).resolve("jdk-" + version);
        boolean there = Files.isExecutable(home.resolve("bin/java")) && Files.isExecutable(home.resolve("bin/javac"));
        if (!there && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no JDK " + version + " at " + home + ": scripts/install-test-deps.sh unpacks one");
        }
        assumeTrue(there, "no JDK " + version + " at " + home + " (scripts/install-test-deps.sh unpacks one)");
        return home;
    }

    @Test
    void nonLeakingTargetWithoutNmtSaysHowToTurnItOn() throws Exception {
        Process p = start(java17(), "churn");
        Path dir = capture(p, 4, 1, 0, false);
        Bundle b = Bundle.open(dir);
        assertEquals("off", b.manifest().target().jvm().nmtMode());
        assertTrue(b.artifacts(ArtifactKind.NMT).isEmpty());
        assertTrue(b.manifest().notes().stream().anyMatch(n -> n.source().equals("nmt")));
        assertEquals(2, b.artifacts(ArtifactKind.HISTOGRAM).size());
        assertEquals(1, b.artifacts(ArtifactKind.JFR).size());
        Findings f = Analyzer.standard("test").analyze(List.of(dir));
        assertEquals("off", f.nativeMemory().nmtMode());
        assertTrue(f.nativeMemory().nmtAdvice().contains("-XX:NativeMemoryTracking=summary"));
        assertNothingLeftIn(p, dir);
    }

    @Test
    void liveAllocationProfilingAndCompressedDumps() throws Exception {
        Process p = start(java17(), "history --rate 100");
        Path dir = capture(p, new Attach.Options(Duration.ofSeconds(8), Duration.ofSeconds(1), 2, false, true, false, true));
        Bundle b = Bundle.open(dir);
        assertEquals("completed", b.manifest().endReason());
        List<Artifact> dumps = b.artifacts(ArtifactKind.HPROF);
        assertEquals(2, dumps.size());
        for (Artifact d : dumps) {
            assertTrue(d.path().endsWith(".hprof.gz") && "true".equals(d.attributes().get("compressed")), d.toString());
            try (var in = Files.newInputStream(b.resolve(d))) {
                byte[] head = in.readNBytes(26);
                assertEquals(0x1f, head[0] & 0xff, "gzip'd");
                assertEquals(0x8b, head[1] & 0xff);
                // in HotSpot's -gz blocks, which the analyzer reads in parallel parts
                assertEquals("HPROF BLOCKSIZE=", new String(head, 10, 16, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        // --alloc: async-profiler's alloc+live, rendered as a flame graph of Java allocations still live
        Artifact nat = b.artifacts(ArtifactKind.NATIVE_JFR).get(0);
        assertEquals("off", nat.attributes().get("nativemem"));
        Map<String, Integer> events = eventCounts(b.resolve(nat));
        assertTrue(events.keySet().stream().anyMatch(e -> e.contains("ObjectAllocation")), "allocation samples: " + events);
        String live = Files.readString(b.dir().resolve(nat.attributes().get("liveFlameGraph")));
        assertTrue(live.contains("ConversationHistoryLeak"), "the leaking agent's frames hold live allocations");

        Findings f = Analyzer.standard("test").analyze(List.of(dir));
        assertEquals(2, f.heap().dumps().size(), "the compressed dumps are read");
        assertFalse(f.heap().growing().isEmpty(), "and diffed: " + f.notes());
        assertNothingLeftIn(p, dir);
    }

    @Test
    void jdk25TargetWithNativeProfilingFindsTheLeakingAllocationSite() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "Temurin 25 not installed at " + JDK25);
        Process p = start(JDK25.toString(), "offheap", "-XX:NativeMemoryTracking=summary", "-XX:MaxDirectMemorySize=1g");
        Path dir = capture(p, 10, 1, 0, true);
        Bundle b = Bundle.open(dir);
        assertEquals("completed", b.manifest().endReason());
        assertTrue(b.manifest().target().jvm().version().startsWith("25"), b.manifest().target().jvm().version());
        Artifact nat = b.artifacts(ArtifactKind.NATIVE_JFR).get(0);
        Map<String, Integer> events = eventCounts(b.resolve(nat));
        assertTrue(events.getOrDefault("profiler.Malloc", 0) > 0 && events.getOrDefault("profiler.Free", 0) > 0,
                "malloc and free events: " + events);
        Path html = b.dir().resolve(nat.attributes().get("flameGraph"));
        assertTrue(Files.readString(html).contains("allocateBatch"), "the leak flame graph names the site");
        // the leaking site holds most of the bytes not freed
        long total = 0;
        long site = 0;
        for (String line : Files.readAllLines(b.dir().resolve("native/leak.collapsed"))) {
            long bytes = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            total += bytes;
            if (line.contains("OffHeapLeak.allocateBatch")) {
                site += bytes;
            }
        }
        assertTrue(site > total / 2, "allocateBatch dominates: " + site + " of " + total);

        Findings f = Analyzer.standard("test").analyze(List.of(dir));
        NativeMemory.LeakSite top = f.nativeMemory().leakSites().get(0);
        assertTrue(top.frames().contains("io.leakscope.samples.OffHeapLeak.allocateBatch"), top.frames().toString());
        assertEquals("malloc_hook", top.frames().get(0), "innermost first");
        assertTrue(f.nativeMemory().flameGraph().endsWith("native/leak-flame.html"));
        assertTrue(f.series().stream().anyMatch(s -> s.id().equals("jvm.rss")), "JDK 25 reports RSS through JFR");
        Series other = f.series().stream().filter(s -> s.id().equals("nmt.Other.committed")).findFirst().orElseThrow();
        assertTrue(other.last() > other.values()[0] + 10e6, "direct buffers grow NMT Other");

        assertNothingLeftIn(p, dir);
        // the library stays mapped (it cannot be unloaded) but is idle
        Path status = tmp.resolve("status.txt");
        try (JvmConnection c = JvmConnection.open(p.pid())) {
            String lib = JvmConnection.mappedLibrary(Path.of("/proc"), p.pid(), "libasyncProfiler");
            assertNotNull(lib);
            c.loadAgentPath(lib, "status,file=" + status);
        }
        assertTrue(Files.readString(status).contains("not active"), Files.readString(status));
    }

    @Test
    void targetExitingMidCaptureLeavesAValidBundleSayingWhen() throws Exception {
        Process p = start(java17(), "churn --seconds 7"); // long enough to be attached on a loaded machine
        Path dir = capture(p, 30, 0.5, 0, false);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Bundle b = Bundle.open(dir);
        assertEquals("target-exited", b.manifest().endReason());
        assertTrue(b.manifest().events().stream().anyMatch(e -> e.kind().equals("target-exit")));
        assertNotNull(b.manifest().captureEnd());
        // a normal exit dumps our recording (dumponexit)
        List<Artifact> jfr = b.artifacts(ArtifactKind.JFR);
        assertEquals(1, jfr.size());
        assertEquals("true", jfr.get(0).attributes().get("dumpedOnExit"));
        assertTrue(eventCounts(b.resolve(jfr.get(0))).getOrDefault("jdk.GCHeapSummary", 0) > 0);
    }

    @Test
    void refusedAttachIsOneLineAndLeavesNoBundle() throws Exception {
        Process p = start(java17(), "churn", "-XX:+DisableAttachMechanism");
        InputException e = assertThrows(InputException.class, () -> capture(p, 4, 1, 0, false));
        assertTrue(e.getMessage().startsWith("PID " + p.pid() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not attachable"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "no bundle for a refused attach");
        }
        p.destroyForcibly().waitFor();
        e = assertThrows(InputException.class, () -> capture(p, 4, 1, 0, false));
        assertEquals("PID " + p.pid() + ": no such process", e.getMessage());
    }
}
