package io.leakscope.findings;

import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindingsJsonTest {
    @TempDir
    Path tmp;

    static Findings sample() {
        Series rss = new Series("process.rss", "RSS", "bytes", "proc", "total", null, new long[] {1, 2, 3},
                new double[] {10, 20, 30});
        Growth g = new Growth(List.of(new Growth.SignalFit("process.rss", "bytes", "values", Verdict.LEAK, 600.0,
                500.0, 700.0, 1.0, 0.001, 0.99, 3, 1L, 30.0, null, null,
                new Growth.TimeToLimit(1000, "cgroup memory limit", 60.0, 120.0, null, null, null, "between 1 m and 2 m"),
                "steady")), List.of(new Growth.Attribution("process.rss", "process.anon", "anon", 600.0, 1.0, 1)), null);
        return new Findings(Findings.SCHEMA, Findings.SCHEMA_VERSION, "2026-11-24T00:00:00Z", "test", Verdict.LEAK,
                "grows", List.of(new Input("x", "bundle", 0)), Target.offline("x"), Limits.UNKNOWN, List.of(rss), g,
                null, null, List.of(new Recommendation("containment", "t", "d", "c")), List.of(Note.info("a", "b")));
    }

    @Test
    void roundTrip() throws IOException {
        Path f = tmp.resolve("findings.json");
        FindingsJson.write(sample(), f);
        Findings back = FindingsJson.read(f);
        assertEquals(sample().series(), back.series());
        assertEquals(sample().growth(), back.growth());
        assertEquals(Verdict.LEAK, back.verdict());
        assertTrue(Files.readString(f).contains("\"native\""), "the native section is named 'native' in JSON");
        assertTrue(FindingsJson.looksLikeFindings(f));
    }

    @Test
    void newerMajorIsRefusedWithOneLine() throws IOException {
        Path f = tmp.resolve("findings.json");
        FindingsJson.write(sample(), f);
        String written = Files.readString(f);
        assertTrue(written.contains("\"schemaVersion\" : \"" + Findings.SCHEMA_VERSION + "\""), written);
        Files.writeString(f, written.replace("\"schemaVersion\" : \"" + Findings.SCHEMA_VERSION + "\"",
                "\"schemaVersion\" : \"3.1\""));
        InputException e = assertThrows(InputException.class, () -> FindingsJson.read(f));
        assertTrue(e.getMessage().startsWith(f + ": schema version 3.1 is newer"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // an older minor of the same major (1.0: no suspects' heldBy) reads
        Files.writeString(f, written.replace("\"schemaVersion\" : \"" + Findings.SCHEMA_VERSION + "\"",
                "\"schemaVersion\" : \"1.0\""));
        assertEquals(sample().verdict(), FindingsJson.read(f).verdict());
    }

    @Test
    void otherJsonIsRefused() throws IOException {
        Path f = tmp.resolve("x.json");
        Files.writeString(f, "{\"a\":1}");
        assertThrows(InputException.class, () -> FindingsJson.read(f));
        Files.writeString(f, "{\"a\":");
        assertThrows(InputException.class, () -> FindingsJson.read(f));
    }
}
