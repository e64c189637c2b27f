package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real VM.native_memory outputs of JDK 17 and 25 (summary and summary.diff). */
class NmtTextTest {
    @TempDir
    Path tmp;

    static String resource(String name) throws IOException {
        try (InputStream in = NmtTextTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-summary.txt", "jdk17-summary-diff.txt", "jdk25-summary.txt", "jdk25-summary-diff.txt"})
    void parsesEveryCategoryAndTheTotal(String file) throws IOException {
        String text = resource(file);
        NmtText.Snapshot s = NmtText.parse(text);
        assertNotNull(s);
        long categoryLines = text.lines().filter(l -> l.startsWith("-") && l.contains("(reserved=")).count();
        assertEquals(categoryLines, s.categories().size(), "every category line is read");
        assertTrue(s.categories().containsKey("Java Heap"));
        assertEquals(262144L << 10, s.categories().get("Java Heap").committed());
        assertTrue(s.categories().containsKey("Native Memory Tracking"));
        // the direct-buffer leak sits in Other, malloc'ed
        assertTrue(s.categories().get("Other").committed() > 20_000L << 10);
        long sum = s.categories().values().stream().mapToLong(NmtText.Amount::committed).sum();
        assertTrue(Math.abs(sum - s.total().committed()) <= s.total().committed() / 100,
                "categories add up to the total: " + sum + " vs " + s.total().committed());
    }

    @Test
    void diffFormReadsCurrentValuesNotDeltas() throws IOException {
        NmtText.Snapshot s = NmtText.parse(resource("jdk17-summary-diff.txt"));
        assertEquals(new NmtText.Amount(1735405L << 10, 357569L << 10), s.total());
        assertEquals(new NmtText.Amount(24642L << 10, 24642L << 10), s.categories().get("Other"));
    }

    @Test
    void snapshotsMergeIntoSeriesByTime() throws IOException {
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Files.writeString(a, resource("jdk25-summary-diff.txt"));
        Files.writeString(b, resource("jdk25-summary.txt"));
        FindingsBuilder out = new FindingsBuilder();
        NmtReader r = new NmtReader();
        r.read(b, new Artifact("nmt/b.txt", "nmt", "", 1, "", Map.of("timeMs", "2000")), out);
        r.read(a, new Artifact("nmt/a.txt", "nmt", "", 1, "", Map.of("timeMs", "1000")), out);
        Series total = out.series.get("nmt.total.committed");
        assertEquals("total", total.role());
        assertArrayEquals(new long[]{1000, 2000}, total.timeMs());
        assertEquals(355695L << 10, (long) total.values()[0]);
        Series other = out.series.get("nmt.Other.committed");
        assertEquals("part", other.role());
        assertEquals("nmt.total.committed", other.parent());
        assertTrue(other.values()[1] > other.values()[0], "Other grows");
        assertNotNull(out.series.get("nmt.Java_Heap.committed"));
        assertEquals("summary", out.nativeMemory.nmtMode());
    }

    @Test
    void truncatedOrDisabledOutputIsOneLineError() throws IOException {
        Path cut = tmp.resolve("cut.txt");
        String text = resource("jdk17-summary.txt");
        Files.writeString(cut, text.substring(0, text.indexOf("Total:")));
        InputException e = assertThrows(InputException.class, () -> new NmtReader().read(cut, null, new FindingsBuilder()));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        Path off = tmp.resolve("off.txt");
        Files.writeString(off, "12345:\nNative memory tracking is not enabled\n");
        e = assertThrows(InputException.class, () -> new NmtReader().read(off, null, new FindingsBuilder()));
        assertTrue(e.getMessage().contains("not enabled"), e.getMessage());
    }
}
