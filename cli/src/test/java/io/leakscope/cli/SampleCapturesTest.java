package io.leakscope.cli;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The captures shipped in samples/captures stay readable and keep naming their leak as the formats evolve. */
class SampleCapturesTest {
    private static final Path CAPTURES = Path.of("../samples/captures");

    private static Findings analyze(String... names) throws Exception {
        List<Path> in = java.util.Arrays.stream(names).map(CAPTURES::resolve).toList();
        return Analyzer.standard("test").analyze(in);
    }

    @Test
    void jvmBundleAndItsJfr() throws Exception {
        Findings b = analyze("agent-history.leakscope");
        assertEquals(Verdict.LEAK, b.verdict(), b.headline());
        assertTrue(b.headline().contains("Java heap"), b.headline());
        assertEquals(Verdict.LEAK, analyze("agent-history.jfr").verdict());
    }

    @Test
    void dumpPairNamesTheListenerList() throws Exception {
        Findings f = analyze("dumps/listeners-1.hprof.gz", "dumps/listeners-2.hprof.gz");
        assertTrue(String.join(" ", f.heap().growing().get(0).pathFromRoot()).contains("ListenerLeak$EventBus .LISTENERS → java.util.concurrent.CopyOnWriteArrayList"),
                f.heap().growing().get(0).pathFromRoot().toString());
        // the leaked objects are the listeners, not the requests they hold (which outweigh them in a histogram)
        assertTrue(f.headline().contains("ListenerLeak$EventBus.LISTENERS (CopyOnWriteArrayList) accumulates"
                + " ListenerLeak$RetryListener: +257 per dump"), f.headline());
        assertTrue(f.notes().stream().noneMatch(n -> n.message().contains("different programs")), f.notes().toString());
    }

    /** One dump given twice (or a copy of it): its header's time, to the millisecond, says so. */
    @Test
    void theSameDumpTwiceIsSaid() throws Exception {
        Findings f = analyze("dumps/listeners-1.hprof.gz", "dumps/listeners-1.hprof.gz");
        assertEquals(Verdict.INCONCLUSIVE, f.verdict(), f.headline());
        assertTrue(f.notes().stream().anyMatch(n -> n.level().equals("WARN")
                && n.message().contains("were taken at the same time (") && n.message().contains("the same dump twice?")),
                f.notes().toString());
    }

    @Test
    void aDumpTooBigForTheHeapIsOneLineWithTheHeapToAskFor() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path dump = CAPTURES.resolve("dumps/listeners-1.hprof.gz");
        Process p = new ProcessBuilder(java, "-Xmx12m", "-cp", System.getProperty("java.class.path"), "io.leakscope.cli.Main",
                "analyze", dump.toString(), "--out", Files.createTempDirectory("oom").resolve("out").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("leakscope: " + dump + ": not enough memory to analyse this dump with a")
                && lines.get(0).contains("uncompressed dump's size (LEAKSCOPE_JAVA_OPTS=-Xmx")
                && lines.get(0).contains("m -Dleakscope.heap.tables=mapped\")"), out);
    }

    @Test
    void pythonBundleGrowsInTheMallocHeap() throws Exception {
        Findings f = analyze("python-leaky.leakscope");
        assertEquals(Verdict.LEAK, f.verdict(), f.headline());
        assertTrue(f.growth().attribution().stream().anyMatch(a -> a.part().equals("smaps.[heap].rss") && a.share() > 0.5),
                f.growth().attribution().toString());
    }
}
