package io.leakscope.cli;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.bundle.BundleWriter;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path bundle() throws IOException {
        BundleWriter w = BundleWriter.create(tmp, "b", "test");
        w.target(new Target(1L, "process", "python3 agent.py", null, "me", null));
        Path csv = w.file("series", "process.csv");
        try (SeriesCsv.Writer sw = new SeriesCsv.Writer(csv, List.of(SeriesCsv.Column.total("process.rss", "bytes")))) {
            for (int i = 0; i < 5; i++) {
                sw.append(1000L * i, 100 + i);
            }
        }
        w.add(csv, ArtifactKind.SERIES, Map.of("source", "proc"));
        return w.finish("completed");
    }

    @Test
    void helpAndVersion() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String sub : List.of("attach", "analyze", "diff", "report", "gate", "demo")) {
            assertTrue(r.out().contains(sub), sub);
            assertEquals(0, run(sub, "--help").code(), sub + " --help");
        }
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("leakscope "), v.out());
    }

    @Test
    void unknownOptionIsUsageError() {
        assertEquals(2, run("analyze", "--no-such-option", "x").code());
    }

    @Test
    void analyzeBundleWritesFindingsAndReport() throws IOException {
        Path out = tmp.resolve("out");
        Run r = run("analyze", bundle().toString(), "--out", out.toString());
        assertTrue(Files.isRegularFile(out.resolve("findings.json")), r.err());
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        String[] lines = r.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("verdict: ") && last.endsWith(out.resolve("report.html").toAbsolutePath().toString()), last);
        var f = FindingsJson.read(out.resolve("findings.json"));
        assertEquals(5, f.series("process.rss").size());
        assertEquals("python3 agent.py", f.target().commandLine());
    }

    @Test
    void tamperedBundleIsExit2WithOneLine() throws IOException {
        Path b = bundle();
        Files.writeString(b.resolve("series/process.csv"), "tampered");
        Run r = run("analyze", b.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("series/process.csv"), r.err());
        assertFalse(r.err().contains("at io.leakscope"), "no stack trace without --verbose");
        assertFalse(Files.exists(tmp.resolve("o/findings.json")), "no output for a refused input");
    }

    @Test
    void missingManifestAndNewerSchemaAreExit2() throws IOException {
        Path b = bundle();
        Path mf = b.resolve(Bundle.MANIFEST);
        String manifest = Files.readString(mf);
        Files.writeString(mf, manifest.replace("\"schemaVersion\" : \"1.0\"", "\"schemaVersion\" : \"9.0\""));
        Run r = run("analyze", b.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("newer"), r.err());
        Files.delete(mf);
        r = run("analyze", b.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("manifest.json is missing"), r.err());
        assertEquals(1, r.err().strip().lines().count());
    }

    /**
     * Dumps of other JVMs that a user may take for an HPROF are named, with what to do: OpenJ9's portable heap
     * dump and javacore, Android's HPROF 1.0.3 (hprof-conv makes it a Java one). One line each, exit 2.
     */
    @Test
    void otherJvmsDumpsAreNamedInOneLine() throws IOException {
        Path phd = tmp.resolve("heapdump.20261130.phd");
        Files.write(phd, concat(new byte[] {0, 18}, "portable heap dump\0\0\0\5".getBytes(StandardCharsets.ISO_8859_1)));
        Path javacore = tmp.resolve("javacore.20261130.txt");
        Files.writeString(javacore, "NULL           ---------------\r\n0SECTION       TITLE subcomponent dump routine\r\n"
                + "NULL           ===============\r\n");
        Path android = tmp.resolve("android.hprof");
        Files.write(android, concat("JAVA PROFILE 1.0.3\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0, 0, 4,
                0, 0, 1, (byte) 0x9a, 0, 0, 0, 0}));
        String[][] cases = {{phd.toString(), "an OpenJ9/IBM portable heap dump (PHD), not HPROF"},
                {javacore.toString(), "an OpenJ9/IBM javacore"},
                {android.toString(), "an Android heap dump (JAVA PROFILE 1.0.3): convert it to a Java one with the Android SDK's hprof-conv"}};
        for (String[] c : cases) {
            Run r = run("analyze", c[0], "--out", tmp.resolve("o").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(c[1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void verboseShowsTheStackTrace() throws IOException {
        Path junk = tmp.resolve("junk.bin");
        Files.write(junk, new byte[] {9, 9, 9});
        Run r = run("--verbose", "analyze", junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a recognised input") && r.err().contains("\tat "), r.err());
    }

    @Test
    void reportRefusesNewerFindings() throws IOException {
        Path out = tmp.resolve("out");
        run("analyze", bundle().toString(), "--out", out.toString());
        Path f = out.resolve("findings.json");
        Files.writeString(f, Files.readString(f).replace("\"schemaVersion\" : \"" + io.leakscope.findings.Findings.SCHEMA_VERSION + "\"",
                "\"schemaVersion\" : \"2.0\""));
        Run r = run("report", f.toString(), "-o", tmp.resolve("r.html").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("newer"), r.err());
        assertFalse(Files.exists(tmp.resolve("r.html")));
    }

    @Test
    void attachToAGonePidIsExit2WithOneLine() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Run r = run("attach", Long.toString(p.pid()), "--duration", "10s", "--out", tmp.resolve("a").toString());
        assertEquals(2, r.code());
        assertEquals("leakscope: PID " + p.pid() + ": no such process", r.err().strip());
    }

    @Test
    void badDurationIsExit2() {
        Run r = run("attach", "1", "--duration", "ten minutes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a duration"), r.err());
    }
}
