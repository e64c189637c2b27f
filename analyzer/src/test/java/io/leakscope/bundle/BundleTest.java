package io.leakscope.bundle;

import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.JvmInfo;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Note;
import io.leakscope.findings.Series;
import io.leakscope.findings.Target;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleTest {
    @TempDir
    Path tmp;

    private Path writeBundle() throws IOException {
        BundleWriter w = BundleWriter.create(tmp, "4242-test", "leakscope test");
        w.target(new Target(4242L, "jvm", "java -Xmx1g App", "2026-11-24T10:00:00Z", "app",
                new JvmInfo("Eclipse Adoptium", "25", "OpenJDK 64-Bit Server VM", List.of("-Xmx1g"), 1L << 30, "summary")));
        w.limits(Limits.withEffective(8L << 30, 0L, 2, "/app.slice", 2L << 30, null, 1L << 30));
        w.setting("interval", "5s");
        Path csv = w.file("series", "process.csv");
        try (SeriesCsv.Writer sw = new SeriesCsv.Writer(csv, List.of(SeriesCsv.Column.total("process.rss", "bytes"),
                SeriesCsv.Column.part("process.anon", "bytes", "process.rss")))) {
            sw.append(1000, 100, 60);
            sw.append(2000, 110, Double.NaN);
            sw.append(3000, 120, 80);
        }
        w.add(csv, ArtifactKind.SERIES, Map.of("source", "proc"));
        Path blob = w.file("heap", "dump-1.hprof");
        Files.write(blob, new byte[] {1, 2, 3, 4, 5});
        w.add(blob, ArtifactKind.HPROF, Map.of("pauseMs", "12"));
        w.event("heap-dump", 12L, "live objects");
        w.note(Note.warn("nmt", "NMT is off"));
        w.checkpoint();
        assertTrue(Files.isRegularFile(w.dir().resolve(Bundle.MANIFEST)), "checkpoint writes the manifest in the partial dir");
        return w.finish("completed");
    }

    @Test
    void roundTripKeepsEverythingAndVerifiesChecksums() throws IOException {
        Path dir = writeBundle();
        assertEquals("4242-test.leakscope", dir.getFileName().toString());
        assertFalse(Files.exists(tmp.resolve("4242-test.leakscope.partial")), "partial dir renamed away");
        Bundle b = Bundle.open(dir);
        Manifest m = b.manifest();
        assertEquals(Manifest.SCHEMA_VERSION, m.schemaVersion());
        assertEquals(4242L, m.target().pid());
        assertEquals("25", m.target().jvm().version());
        assertEquals(2L << 30, m.limits().cgroupMaxBytes());
        assertEquals(2L << 30, m.limits().effectiveLimitBytes(), "cgroup limit is below host RAM");
        assertEquals("completed", m.endReason());
        assertEquals(2, m.artifacts().size());
        assertEquals("heap/dump-1.hprof", b.artifacts(ArtifactKind.HPROF).get(0).path());
        assertEquals(5, b.artifacts(ArtifactKind.HPROF).get(0).size());
        assertEquals("12", b.artifacts(ArtifactKind.HPROF).get(0).attributes().get("pauseMs"));
        assertEquals(1, m.events().size());
        assertEquals("NMT is off", m.notes().get(0).message());

        List<Series> series = SeriesCsv.read(b.resolve(b.artifacts(ArtifactKind.SERIES).get(0)), "proc");
        assertEquals("process.rss", series.get(0).id());
        assertArrayEquals(new double[] {100, 110, 120}, series.get(0).values());
        assertArrayEquals(new long[] {1000, 3000}, series.get(1).timeMs(), "missing value skipped");
        assertEquals("part", series.get(1).role());
        assertEquals("process.rss", series.get(1).parent());
    }

    @Test
    void bundleIsOwnerOnly() throws IOException {
        Path dir = writeBundle();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("heap"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("heap/dump-1.hprof"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(Bundle.MANIFEST))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("series/process.csv"))));
    }

    @Test
    void tamperedArtifactIsRefused() throws IOException {
        Path dir = writeBundle();
        Files.write(dir.resolve("heap/dump-1.hprof"), new byte[] {1, 2, 3, 4, 6});
        InputException e = assertThrows(InputException.class, () -> Bundle.open(dir));
        assertTrue(e.getMessage().contains("heap/dump-1.hprof") && e.getMessage().contains("sha256"), e.getMessage());
        Files.write(dir.resolve("heap/dump-1.hprof"), new byte[] {1, 2, 3});
        e = assertThrows(InputException.class, () -> Bundle.open(dir));
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
    }

    @Test
    void newerMajorSchemaIsRefused() throws IOException {
        Path dir = writeBundle();
        Path mf = dir.resolve(Bundle.MANIFEST);
        Files.writeString(mf, Files.readString(mf).replace("\"schemaVersion\" : \"1.0\"", "\"schemaVersion\" : \"2.0\""));
        InputException e = assertThrows(InputException.class, () -> Bundle.open(dir));
        assertTrue(e.getMessage().contains("schema version 2.0 is newer"), e.getMessage());
    }

    @Test
    void newerMinorSchemaWithUnknownFieldsStillReads() throws IOException {
        Path dir = writeBundle();
        Path mf = dir.resolve(Bundle.MANIFEST);
        Files.writeString(mf, Files.readString(mf).replace("\"schemaVersion\" : \"1.0\"",
                "\"schemaVersion\" : \"1.7\", \"somethingNew\" : {\"x\" : 1}"));
        assertEquals("1.7", Bundle.open(dir).manifest().schemaVersion());
    }

    @Test
    void missingManifestIsRefused() throws IOException {
        Path dir = writeBundle();
        Files.delete(dir.resolve(Bundle.MANIFEST));
        InputException e = assertThrows(InputException.class, () -> Bundle.open(dir));
        assertTrue(e.getMessage().contains("manifest.json is missing"), e.getMessage());
    }

    @Test
    void artifactPathsCannotLeaveTheBundle() throws IOException {
        Path dir = writeBundle();
        Files.writeString(tmp.resolve("outside"), "x");
        Path mf = dir.resolve(Bundle.MANIFEST);
        Files.writeString(mf, Files.readString(mf).replace("heap/dump-1.hprof", "../outside"));
        InputException e = assertThrows(InputException.class, () -> Bundle.open(dir));
        assertTrue(e.getMessage().contains("outside the bundle"), e.getMessage());
    }

    @Test
    void existingTargetIsNotOverwritten() throws IOException {
        writeBundle();
        assertThrows(InputException.class, () -> BundleWriter.create(tmp, "4242-test", "t"));
    }

    @Test
    void manifestIsJsonWithSchemaName() throws IOException {
        Path dir = writeBundle();
        var tree = FindingsJson.MAPPER.readTree(dir.resolve(Bundle.MANIFEST).toFile());
        assertEquals("leakscope.bundle", tree.get("schema").asText());
        assertEquals(64, tree.get("artifacts").get(0).get("sha256").asText().length());
    }
}
