package io.leakscope.heap;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A dump of 1.5 M objects analysed in a 48 MB heap, in a JVM of its own: too small for the tables on the heap
 * (that run stops with its one line), enough once they are mapped, which the analysis chooses by itself. The
 * answer is the same as with every table on the heap.
 */
class DumpBiggerThanTheHeapTest {
    private static final int LINKS = 1_500_000;

    @Test
    void isAnalysedWithItsTablesInMappedFiles(@TempDir Path tmp) throws Exception {
        Path dump;
        try (DumpTargetProcess t = new DumpTargetProcess("-Xmx256m")) {
            t.command("links " + LINKS);
            dump = t.dump(tmp.resolve("links.hprof"));
        }
        assertTrue(Files.size(dump) > (48L << 20), "dump of " + Files.size(dump) + " bytes");

        ChildProcess onHeap = analyse(dump, tmp.resolve("heap.json"), "-Dleakscope.heap.tables=heap");
        assertEquals(2, onHeap.code(), onHeap.out());
        assertEquals(1, onHeap.out().strip().lines().count(), onHeap.out());
        assertTrue(onHeap.out().contains(dump + ": not enough memory to analyse this dump with a"), onHeap.out());

        Path tables = Files.createDirectory(tmp.resolve("tables"));
        ChildProcess chosen = analyse(dump, tmp.resolve("mapped.json"), "-Djava.io.tmpdir=" + tables);
        assertEquals(0, chosen.code(), chosen.out());
        Findings mapped = FindingsJson.read(tmp.resolve("mapped.json"));
        assertTrue(mapped.notes().stream().anyMatch(n -> n.message().contains("memory-mapped files in " + tables)),
                mapped.notes().toString());
        try (java.util.stream.Stream<Path> left = Files.list(tables)) {
            assertEquals(0, left.count()); // unlinked once mapped: nothing left behind
        }
        // the same answer as all on the heap (this JVM has the heap for it)
        Findings expected;
        System.setProperty("leakscope.heap.tables", "heap");
        try {
            expected = Analyzer.standard("test").analyze(List.of(dump));
        } finally {
            System.clearProperty("leakscope.heap.tables");
        }
        assertEquals(expected.heap(), mapped.heap());
        assertTrue(mapped.heap().dumps().get(0).objects() > LINKS);
        assertTrue(mapped.heap().suspects().stream().anyMatch(s -> s.pathFromRoot().toString().contains(".LINKS")),
                mapped.heap().suspects().toString());

        // the tables' disk full (a 70 MB tmpfs, private to the child: under the 64 MB kept free, no table fits)
        assumeTrue(PrivateTmpfs.available(tmp), "needs unshare and a private tmpfs mount (root, or user namespaces)");
        Path full = Files.createDirectory(tmp.resolve("full"));
        // with heap to spare the tables all go on the heap, each with a warning, and the answer is the same
        ChildProcess roomy = analyse(dump, tmp.resolve("full.json"), "-Xmx128m", full, "-Dleakscope.heap.tables=mapped");
        assertEquals(0, roomy.code(), roomy.out());
        Findings unmapped = FindingsJson.read(tmp.resolve("full.json"));
        assertTrue(unmapped.notes().stream().anyMatch(n -> n.message().startsWith("not enough free space in " + full
                + " for a ") && n.message().endsWith("; the table was put on the heap instead")),
                unmapped.notes().toString());
        assertEquals(expected.heap(), unmapped.heap());
        // without: one line that says the disk is what to fix, and no findings written
        ChildProcess tight = analyse(dump, tmp.resolve("none.json"), "-Xmx48m", full);
        assertEquals(2, tight.code(), tight.out());
        assertEquals(1, tight.out().strip().lines().count(), tight.out());
        assertTrue(tight.out().startsWith(dump + ": not enough memory to analyse this dump with a "), tight.out());
        assertTrue(tight.out().contains(", because not enough free space in " + full + " for a "), tight.out());
        assertTrue(tight.out().contains("-Djava.io.tmpdir=DIR"), tight.out());
        assertFalse(Files.exists(tmp.resolve("none.json")));
    }

    private static ChildProcess analyse(Path dump, Path findings, String flag) throws IOException, InterruptedException {
        return analyse(dump, findings, "-Xmx48m", null, flag);
    }

    /** With {@code tmpfs} not null: a 70 MB tmpfs mounted there, seen by the child alone, as its temp directory. */
    private static ChildProcess analyse(Path dump, Path findings, String xmx, Path tmpfs, String... flags)
            throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(List.of(xmx, "-XX:+UseSerialGC"));
        if (tmpfs != null) {
            jvm.add("-Djava.io.tmpdir=" + tmpfs);
        }
        jvm.addAll(List.of(flags));
        List<String> cmd = new ArrayList<>(tmpfs != null ? PrivateTmpfs.prefix(tmpfs, 70) : List.of());
        cmd.addAll(ChildProcess.java(jvm, AnalyzeInAHeapOfItsOwn.class, dump.toString(), findings.toString()));
        return ChildProcess.run(cmd, 120);
    }
}
