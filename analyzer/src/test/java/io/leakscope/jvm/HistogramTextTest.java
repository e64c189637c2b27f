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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GC.class_histogram outputs captured from JDK 17 and 25 targets by leakscope attach. */
class HistogramTextTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-histogram.txt", "jdk25-histogram.txt"})
    void parsesRowsAndTotal(String file) throws IOException {
        String text = NmtTextTest.resource(file);
        HistogramText.Histogram h = HistogramText.parse(text);
        assertNotNull(h);
        long rows = text.lines().filter(l -> l.strip().matches("\\d+:.*")).count();
        assertEquals(rows, h.rows().size());
        assertEquals(h.rows().stream().mapToLong(HistogramText.Row::bytes).sum(), h.totalBytes());
        assertEquals("byte[]", h.rows().get(0).className());
        assertTrue(h.rows().stream().anyMatch(r -> r.className().equals("java.lang.Object[]")));
        assertTrue(h.rows().stream().noneMatch(r -> r.className().contains("(")), "module column dropped");
    }

    @Test
    void classNamesMatchJfrSpelling() {
        assertEquals("java.lang.String", SeriesMerge.className("java.lang.String (java.base@17.0.15)"));
        assertEquals("int[][]", SeriesMerge.className("[[I"));
        assertEquals("java.lang.Object[]", SeriesMerge.className("[Ljava.lang.Object;"));
        assertEquals("java.util.HashMap$Node", SeriesMerge.className("java/util/HashMap$Node"));
    }

    @Test
    void histogramsBecomeClassSeriesUnderTheHeap() throws IOException {
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Files.writeString(a, NmtTextTest.resource("jdk17-histogram.txt"));
        Files.writeString(b, NmtTextTest.resource("jdk25-histogram.txt"));
        FindingsBuilder out = new FindingsBuilder();
        HistogramReader r = new HistogramReader();
        r.read(a, new Artifact("heap/a.txt", "histogram", "", 1, "", Map.of("timeMs", "1000")), out);
        r.read(b, new Artifact("heap/b.txt", "histogram", "", 1, "", Map.of("timeMs", "5000")), out);
        Series bytes = out.series.get("class.byte[].bytes");
        assertEquals(2, bytes.size());
        assertEquals("part", bytes.role());
        assertEquals("jvm.heap.after_gc", bytes.parent());
        Series heap = out.series.get("jvm.heap.after_gc");
        assertEquals(2, heap.size());
        assertEquals(4657280, (long) heap.values()[1]);
        assertEquals("count", out.series.get("class.java.lang.String.count").unit());
    }

    @Test
    void garbageIsOneLineError() throws IOException {
        Path f = tmp.resolve("x.txt");
        Files.writeString(f, " num     #instances         #bytes  class name\n------\n");
        InputException e = assertThrows(InputException.class, () -> new HistogramReader().read(f, null, new FindingsBuilder()));
        assertTrue(e.getMessage().startsWith(f.toString()));
    }
}
