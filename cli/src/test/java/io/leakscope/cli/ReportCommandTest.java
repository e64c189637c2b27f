package io.leakscope.cli;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.BundleWriter;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    @TempDir
    Path tmp;

    /** findings.json of a bundle with the RSS of this test's own JVM, sampled from /proc. */
    private Path findings() throws Exception {
        BundleWriter w = BundleWriter.create(tmp, "self", "test");
        long pid = ProcessHandle.current().pid();
        w.target(new Target(pid, "process", "java (this test)", null, "me", null));
        w.setting("interval", "20ms");
        w.event("histogram", 7L, "class histogram (a full GC)");
        Path csv = w.file("series", "process.csv");
        try (SeriesCsv.Writer sw = new SeriesCsv.Writer(csv, List.of(SeriesCsv.Column.total("process.rss", "bytes")))) {
            for (int i = 0; i < 10; i++) {
                sw.append(System.currentTimeMillis(), vmRss(pid));
                Thread.sleep(20);
            }
        }
        w.add(csv, ArtifactKind.SERIES, Map.of("source", "proc"));
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("analyze", w.finish("completed").toString(), "--out", out.toString());
        assertTrue(r.code() != 2, r.err());
        return out.resolve("findings.json");
    }

    private static double vmRss(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024.0;
            }
        }
        throw new IOException("no VmRSS");
    }

    @Test
    void writesHtmlJsonAndMarkdown() throws Exception {
        Path f = findings();
        for (String fmt : List.of("html", "json", "md")) {
            Path out = tmp.resolve("r." + fmt);
            CliTest.Run r = CliTest.run("report", f.toString(), "-o", out.toString(), "--format", fmt);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("report: " + out.toAbsolutePath()), r.out());
            String s = Files.readString(out);
            switch (fmt) {
                case "html" -> {
                    assertTrue(s.contains("<!DOCTYPE html>") && s.contains("id=\"chart-rss\""), s);
                    assertTrue(s.contains("interval=20ms") && s.contains("class histogram (a full GC)"), "capture settings and events");
                }
                case "json" -> {
                    assertEquals(FindingsJson.read(f).verdict(), FindingsJson.read(out).verdict());
                    assertEquals("20ms", FindingsJson.read(out).capture().settings().get("interval"));
                }
                case "md" -> assertTrue(s.startsWith("### ") && s.contains("leakscope: **"), s);
                default -> throw new AssertionError(fmt);
            }
        }
    }

    @Test
    void newerSchemaIsRefusedWithOneLineForEveryFormat() throws Exception {
        Path f = findings();
        Files.writeString(f, Files.readString(f).replace("\"schemaVersion\" : \"" + io.leakscope.findings.Findings.SCHEMA_VERSION + "\"",
                "\"schemaVersion\" : \"2.0\""));
        for (String fmt : List.of("html", "json", "md")) {
            Path out = tmp.resolve("refused." + fmt);
            CliTest.Run r = CliTest.run("report", f.toString(), "-o", out.toString(), "--format", fmt);
            assertEquals(2, r.code());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(f.toString()) && r.err().contains("newer"), r.err());
            assertFalse(Files.exists(out));
        }
    }
}
