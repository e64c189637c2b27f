package io.leakscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample agents run for real, dumped with jcmd as a user would, then diffed through the CLI. */
class HeapDiffCliTest {
    @TempDir
    Path tmp;

    /** Starts SampleAgent SCENARIO and takes {@code n} dumps {@code gapMs} apart. */
    private List<Path> dumpsOf(String scenario, int n, long gapMs) throws Exception {
        String bin = Paths.get(System.getProperty("java.home"), "bin").toString();
        Process agent = new ProcessBuilder(Paths.get(bin, "java").toString(), "-Xmx96m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.leakscope.samples.SampleAgent", scenario,
                "--rate", "200", "--seconds", "60").redirectErrorStream(true).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(agent.getInputStream())).readLine();
            assertTrue(ready != null && ready.startsWith("ready pid="), ready);
            List<Path> dumps = new ArrayList<>();
            Thread.sleep(gapMs);
            for (int i = 0; i < n; i++) {
                Path d = tmp.resolve(scenario + "-" + i + ".hprof");
                Process jcmd = new ProcessBuilder(Paths.get(bin, "jcmd").toString(), Long.toString(agent.pid()),
                        "GC.heap_dump", d.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, jcmd.exitValue());
                dumps.add(d);
                if (i + 1 < n) {
                    Thread.sleep(gapMs);
                }
            }
            return dumps;
        } finally {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private JsonNode findings(Path out) throws IOException {
        return new ObjectMapper().readTree(Files.readString(out.resolve("findings.json")));
    }

    @Test
    void diffNamesTheConversationHistoryLeak() throws Exception {
        List<Path> dumps = dumpsOf("history", 3, 1500);
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("--verbose", "diff"));
        dumps.forEach(d -> args.add(d.toString()));
        args.addAll(List.of("--out", out.toString()));
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("verdict: LEAK"), r.out());
        assertTrue(r.err().contains("heap dump pass 1/2") && r.err().contains("heap dump pass 2/2")
                && r.err().contains("100%"), r.err()); // --verbose shows progress even without a terminal
        // and then each step of the analysis, which on a big dump takes longer than the parse
        assertTrue(r.err().contains("heap dump analysis 1/5: shortest paths from the GC roots")
                && r.err().contains("heap dump analysis 5/5: children in the dominator tree"), r.err());
        JsonNode growing = findings(out).path("heap").path("growing");
        assertTrue(growing.size() >= 1, growing.toString());
        JsonNode top = growing.get(0);
        String path = top.path("pathFromRoot").toString();
        assertTrue(path.contains("ConversationHistoryLeak$SessionRegistry") && path.contains(".SESSIONS"), path);
        assertTrue(path.contains(".history → java.util.ArrayList"), path);
        assertTrue(top.path("accumulated").get(0).path("className").asText()
                .equals("io.leakscope.samples.ConversationHistoryLeak$Message"), top.toString());
        for (int i = 1; i < 3; i++) {
            assertTrue(top.path("retainedBytes").get(i).asLong() > top.path("retainedBytes").get(i - 1).asLong());
        }
        assertTrue(top.path("bytesPerMinute").asDouble() > 0);
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        // one dump through analyze: the same session is a leak suspect
        Path one = tmp.resolve("one");
        r = CliTest.run("analyze", dumps.get(2).toString(), "--out", one.toString());
        JsonNode suspects = findings(one).path("heap").path("suspects");
        assertTrue(suspects.toString().contains("ConversationHistoryLeak$Session"), suspects.toString());
        // one dump cannot show growth; the command line still says what holds the heap
        assertTrue(r.out().contains("verdict: INCONCLUSIVE — Not enough data to decide: one heap dump cannot show growth")
                && r.out().contains("Biggest suspect: ") && r.out().contains("ConversationHistoryLeak$Session"), r.out());
    }

    @Test
    void churnControlHasNoGrowingPath() throws Exception {
        List<Path> dumps = dumpsOf("churn", 3, 1500);
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("diff", dumps.get(0).toString(), dumps.get(1).toString(), dumps.get(2).toString(),
                "--out", out.toString());
        JsonNode growing = findings(out).path("heap").path("growing");
        assertEquals(0, growing.size(), growing.toString());
        assertFalse(r.out().contains("verdict: LEAK"), r.out());
        assertTrue(r.out().contains("verdict: INCONCLUSIVE — Not enough data to decide: no retained path grew in every"
                + " interval between the 3 heap dumps."), r.out());
        assertFalse(findings(out).path("notes").toString().contains("different programs"), "one process's dumps");
        // the same launcher running another scenario (the listener sample's dump) shares most of its few classes
        Path listeners = Path.of("../samples/captures/dumps/listeners-1.hprof.gz");
        Path scenarios = tmp.resolve("scenarios");
        CliTest.run("diff", dumps.get(2).toString(), listeners.toString(), "--out", scenarios.toString());
        assertFalse(findings(scenarios).path("notes").toString().contains("different programs"));
        // this test's own JVM, another program altogether: said, not silently diffed
        Path self = tmp.resolve("self.hprof");
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpHeap(self.toString(), true);
        Path mixed = tmp.resolve("mixed");
        CliTest.run("diff", self.toString(), listeners.toString(), "--out", mixed.toString());
        String notes = findings(mixed).path("notes").toString();
        assertTrue(notes.contains(listeners + " and " + self + " share ")
                && notes.contains("they look like dumps of different programs"), notes);
    }

    @Test
    void diffOfSomethingElseIsExit2WithOneLine() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a dump\n");
        Path junk = Files.write(tmp.resolve("junk.hprof"), "JAVA PROFILE 1.0.2\0\0\0\0\7".getBytes());
        CliTest.Run r = CliTest.run("diff", junk.toString(), text.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        r = CliTest.run("diff", junk.toString());
        assertEquals(2, r.code());
    }
}
