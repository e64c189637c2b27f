package io.leakscope.collect;

import io.leakscope.analyze.Analyzer;
import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples/python agents, attached by PID for real: the leak shows in anonymous memory of the leaking one only. */
class PythonAgentCaptureTest {
    @TempDir
    Path tmp;

    private static Process start(String script) throws Exception {
        Process p = new ProcessBuilder("python3", Path.of("../samples/python", script).toString(), "--rate", "25")
                .redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertTrue(first != null && first.startsWith("ready"), script + " did not start: " + first);
        return p;
    }

    private Path capture(Process p, String name) throws Exception {
        CaptureSession s = Attach.prepare(p.pid(), tmp.resolve(name),
                new Attach.Options(Duration.ofSeconds(20), Duration.ofMillis(500), 0, false, false, false),
                new PrintWriter(new StringWriter()));
        return s.run();
    }

    private static Series series(Bundle b, String file, String id) throws Exception {
        for (var a : b.artifacts(ArtifactKind.SERIES)) {
            if (a.path().endsWith(file)) {
                return SeriesCsv.read(b.resolve(a), "x").stream().filter(s -> s.id().equals(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("no " + id + " in " + file));
            }
        }
        throw new AssertionError("no " + file + " in the bundle");
    }

    /** Growth from the 3rd second on (the interpreter's start-up allocations are over by then). */
    private static double growth(Series s) {
        int from = 0;
        while (from < s.size() - 1 && s.timeMs()[from] - s.timeMs()[0] < 3000) {
            from++;
        }
        return s.last() - s.values()[from];
    }

    @Test
    void leakingAgentGrowsInAnonymousMemorySteadyOneDoesNot() throws Exception {
        Process leaky = start("leaky_agent.py");
        Process steady = start("steady_agent.py");
        try {
            CompletableFuture<Path> a = CompletableFuture.supplyAsync(() -> {
                try {
                    return capture(leaky, "leaky");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path steadyDir = capture(steady, "steady");
            Path leakyDir = a.join();
            Bundle lb = Bundle.open(leakyDir);
            Bundle sb = Bundle.open(steadyDir);

            // 25 calls/s × 64 KiB ≈ 1.6 MiB/s kept by the leaky agent, ~27 MiB over the 17 s measured
            double leakAnon = growth(series(lb, "process.csv", "process.anon"));
            double steadyAnon = growth(series(sb, "process.csv", "process.anon"));
            assertTrue(leakAnon > 15e6, "leaky anon growth " + leakAnon);
            assertTrue(steadyAnon < 4e6, "steady anon growth " + steadyAnon);

            // the per-region view says where: the malloc heap ([heap] + unnamed anonymous arenas), not files
            double leakRegions = growth(series(lb, "smaps.csv", "smaps.[heap].rss")) + anonRegion(lb);
            assertTrue(leakRegions > 15e6, "leaky [heap]+anon growth " + leakRegions);
            List<String> fileRegions = new ArrayList<>();
            for (Series s : SeriesCsv.read(lb.resolve(lb.artifacts(ArtifactKind.SERIES).stream()
                    .filter(x -> x.path().endsWith("smaps.csv")).findFirst().orElseThrow()), "smaps")) {
                if (s.id().startsWith("smaps./") && growth(s) > 2e6) {
                    fileRegions.add(s.id());
                }
            }
            assertEquals(List.of(), fileRegions, "no file mapping grows");

            Analyzer an = Analyzer.standard("test");
            Findings lf = an.analyze(List.of(leakyDir));
            Findings sf = an.analyze(List.of(steadyDir));
            assertEquals(Verdict.LEAK, lf.verdict(), lf.headline());
            assertNotEquals(Verdict.LEAK, sf.verdict(), sf.headline());
        } finally {
            leaky.destroyForcibly();
            steady.destroyForcibly();
        }
    }

    @Test
    void childrenSumsTheTreeAndNamesTheChildThatGrows() throws Exception {
        // a supervisor that stays small and runs the leaking worker as its child
        Process sup = new ProcessBuilder("python3", "-c", """
                import subprocess, sys, time
                child = subprocess.Popen([sys.executable, '../samples/python/leaky_agent.py', '--rate', '25'],
                                         stdout=subprocess.PIPE, text=True)
                print(child.stdout.readline().strip(), flush=True)
                time.sleep(600)
                """).redirectErrorStream(true).start();
        try {
            String first = new BufferedReader(new InputStreamReader(sup.getInputStream())).readLine();
            assertTrue(first != null && first.startsWith("ready"), "child did not start: " + first);
            long child = Long.parseLong(first.replaceAll(".*pid=(\\d+).*", "$1"));
            CaptureSession s = Attach.prepare(sup.pid(), tmp.resolve("tree"),
                    new Attach.Options(Duration.ofSeconds(10), Duration.ofMillis(500), 0, false, false, true),
                    new PrintWriter(new StringWriter()));
            Bundle b = Bundle.open(s.run());
            double tree = growth(series(b, "tree.csv", "tree.rss"));
            double parent = growth(series(b, "process.csv", "process.rss"));
            assertTrue(tree > 8e6, "the tree grows with its child: " + tree);
            assertTrue(parent < 2e6, "the supervisor itself does not: " + parent);
            Series worker = SeriesCsv.read(b.resolve(b.artifacts(ArtifactKind.SERIES).stream()
                    .filter(x -> x.path().endsWith("tree.csv")).findFirst().orElseThrow()), "tree").stream()
                    .filter(x -> x.id().startsWith("tree." + child + ":")).findFirst().orElseThrow();
            assertEquals("tree.rss", worker.parent());
            assertTrue(growth(worker) > 8e6, worker.id() + " grows");
        } finally {
            sup.descendants().forEach(ProcessHandle::destroyForcibly);
            sup.destroyForcibly();
        }
    }

    private static double anonRegion(Bundle b) throws Exception {
        try {
            return growth(series(b, "smaps.csv", "smaps.anon.rss"));
        } catch (AssertionError e) {
            return 0; // all of it in [heap]
        }
    }
}
