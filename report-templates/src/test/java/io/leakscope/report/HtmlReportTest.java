package io.leakscope.report;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Heap;
import io.leakscope.findings.NativeMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=\"alert(2)\">'><svg onload=alert(3)>";

    @TempDir
    Path tmp;

    @Test
    void rendersEverySection() {
        String html = HtmlReport.render(TestFindings.rich("com.example.Tool", 5, 5, 12));
        for (String id : new String[]{"id=\"verdict\"", "id=\"chart-rss\"", "id=\"chart-heap\"", "id=\"grows-table\"",
                "id=\"dominator-tree\"", "id=\"native\"", "id=\"secrets\"", "id=\"recommendations\"", "id=\"reproduce\"",
                "id=\"heap-histogram\"", "id=\"heap-dominators\""}) {
            assertTrue(html.contains(id), id);
        }
        assertTrue(html.contains("data-verdict=\"LEAK\""));
        assertTrue(html.contains("high confidence"));
        assertTrue(html.contains("Content-Security-Policy"));
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(withoutSvgNamespace.contains("http://") || withoutSvgNamespace.contains("https://"), "no network references");
    }

    /**
     * A full disk while the report is written (Linux's /dev/full fails every write with ENOSPC): the writer's
     * error comes out as an IOException, which names the file being written (AtomicFiles) in the one line the
     * user sees, not as the program's own failure.
     */
    @Test
    void aFullDiskIsAnIoErrorNotAnInternalOne() throws IOException {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full here");
        try (java.io.Writer w = new java.io.OutputStreamWriter(new java.io.FileOutputStream(full.toFile()),
                StandardCharsets.UTF_8)) {
            IOException e = assertThrows(IOException.class,
                    () -> HtmlReport.render(TestFindings.rich("com.example.Tool", 5, 5, 12), null, w));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        } catch (IOException closing) {
            // closing flushes what is left into /dev/full too
        }
    }

    /** Heap dumps only (no series to fit): the first screen's rate is the diff's, not "not established". */
    @Test
    void aLeakFromHeapDumpsAloneSaysHowFastFromTheDiff() {
        Findings rich = TestFindings.rich("com.example.Tool", 2, 2, 0);
        Findings dumpsOnly = new Findings(rich.schema(), rich.schemaVersion(), rich.generatedAt(), rich.generator(),
                io.leakscope.findings.Verdict.LEAK, "Java heap leak", rich.inputs(), rich.target(), rich.limits(),
                java.util.List.of(), null, rich.heap(), rich.nativeMemory(), rich.recommendations(), rich.notes(),
                rich.capture());
        String html = HtmlReport.render(dumpsOnly);
        int at = html.indexOf("id=\"how-fast\">");
        assertTrue(at > 0);
        String howFast = html.substring(at, html.indexOf("</dd>", at));
        assertTrue(howFast.contains("4.0 MiB/min of retained heap, across 3 heap dumps"), howFast);
    }

    /**
     * One dump (an OutOfMemoryError's): its classes by retained size and its biggest objects are open, as MAT
     * opens a dump; beside growing paths they are closed, and name the dump they are of.
     */
    @Test
    void theNewestDumpsClassesAndBiggestObjectsAreShown() {
        Findings rich = TestFindings.rich("com.example.Tool", 2, 2, 3);
        String withGrowth = HtmlReport.render(rich);
        assertTrue(withGrowth.contains("<details id=\"heap-histogram\"><summary><b>Classes by retained size</b>"
                + " <span class=\"muted\">in the newest dump, heap/dump-2.hprof</span>"), withGrowth);
        Heap.DumpSummary newest = rich.heap().dumps().get(1);
        Findings oneDump = new Findings(rich.schema(), rich.schemaVersion(), rich.generatedAt(), rich.generator(),
                io.leakscope.findings.Verdict.INCONCLUSIVE, "Not enough data to decide", rich.inputs(), rich.target(),
                rich.limits(), java.util.List.of(), null, new Heap(java.util.List.of(newest), rich.heap().suspects(),
                java.util.List.of(), null), null, null, null, null);
        String html = HtmlReport.render(oneDump);
        assertTrue(html.contains("<details id=\"heap-histogram\" open>"), html);
        assertTrue(html.contains("<details id=\"heap-dominators\" open>"), html);
        int at = html.indexOf("id=\"heap-histogram\"");
        String table = html.substring(at, html.indexOf("</table>", at));
        // by retained size, with the raw values to sort by
        assertTrue(table.indexOf("com.example.Tool.Agent") < table.indexOf("com.example.Tool.Turn")
                && table.indexOf("com.example.Tool.Turn") < table.indexOf("byte[]"), table);
        assertTrue(table.contains("<td class=\"num\" data-v=\"" + (120L << 20) + "\">120.0 MiB</td>"), table);
        assertTrue(html.contains("<li>GC root (Java frame in com.example.Tool.Main.main(Main.java:9)): com.example.Tool.Agent</li>"),
                html);
    }

    /** A heap dump's call and how long it stopped the target, as the target's recording timed it. */
    @Test
    void captureEventsSayHowLongTheTargetWasStopped() {
        Findings rich = TestFindings.rich("com.example.Tool", 2, 2, 0);
        io.leakscope.findings.Capture capture = new io.leakscope.findings.Capture("2026-11-30T23:00:00Z",
                "2026-11-30T23:01:00Z", "completed", java.util.Map.of(), java.util.List.of(
                new io.leakscope.findings.Capture.Event("2026-11-30T23:00:30Z", "heap-dump", 3000L, "dump", 1450L),
                new io.leakscope.findings.Capture.Event("2026-11-30T23:00:50Z", "histogram", 300L, "histogram")));
        Findings f = new Findings(rich.schema(), rich.schemaVersion(), rich.generatedAt(), rich.generator(),
                rich.verdict(), rich.headline(), rich.inputs(), rich.target(), rich.limits(), rich.series(),
                rich.growth(), rich.heap(), rich.nativeMemory(), rich.recommendations(), rich.notes(), capture);
        String html = HtmlReport.render(f);
        assertTrue(html.contains("3000 ms, the target stopped 1450 ms"), html);
        assertTrue(html.contains(">300 ms<"), html);
    }

    @Test
    void emptyFindingsRenderOnlyWhatIsThere() {
        Findings empty = new Findings(Findings.SCHEMA, Findings.SCHEMA_VERSION, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        String html = HtmlReport.render(empty);
        assertTrue(html.contains("data-verdict=\"INCONCLUSIVE\""));
        for (String absent : new String[]{"id=\"timeline\"", "id=\"grows\"", "id=\"heap\"", "id=\"native\"",
                "id=\"secrets\"", "id=\"recommendations\"", "id=\"notes\""}) {
            assertFalse(html.contains(absent), absent);
        }
        assertTrue(MarkdownSummary.render(empty).contains("**INCONCLUSIVE**"));
    }

    @Test
    void markupInNamesIsEscaped() {
        String html = HtmlReport.render(TestFindings.rich(HOSTILE, 3, 3, 4));
        assertFalse(html.contains("<script>alert"), "raw <script> from the data");
        assertFalse(html.contains("<img src=x"), "raw <img> from the data");
        assertFalse(html.contains("onerror=\"alert"), "raw attribute from the data");
        assertFalse(html.contains("<svg onload"), "raw <svg> from the data");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"));
        // our own scripts only: the error hook and the sortable tables
        assertEquals(2, html.split("<script>", -1).length - 1);
    }

    @Test
    void flameGraphIsEmbeddedSandboxedAndEscaped() throws Exception {
        Files.writeString(tmp.resolve("native-leak.html"), "<html><body><script>var x = \"</script>\";</script><h1>flame</h1></body></html>");
        Findings f = withFlame(TestFindings.rich("x", 1, 1, 1), "native-leak.html");
        Path out = tmp.resolve("report.html");
        HtmlReport.write(f, out);
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(html.contains("sandbox=\"allow-scripts\" srcdoc=\"&lt;html&gt;&lt;body&gt;&lt;script&gt;var x = &quot;"), html);
        assertFalse(html.contains("<h1>flame</h1>"));
    }

    @Test
    void aFlameGraphOverTheBudgetIsLinkedRelatively() throws Exception {
        Files.write(tmp.resolve("javascript:alert(1)"), new byte[(int) ReportView.MAX_EMBEDDED_FLAME_BYTES + 1]);
        String html = HtmlReport.render(withFlame(TestFindings.rich("x", 1, 1, 1), "javascript:alert(1)"), tmp);
        assertFalse(html.contains("srcdoc="));
        assertTrue(html.contains("<a href=\"./javascript:alert(1)\">"), "a relative link, never a javascript: URL");
    }

    @Test
    void flameGraphOutsideTheFindingsFolderIsNotRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(tmp.resolve("secret.html"), "TOPSECRET");
        Findings f = withFlame(TestFindings.rich("x", 1, 1, 1), "../secret.html");
        String html = HtmlReport.render(f, dir);
        assertFalse(html.contains("TOPSECRET"));
        assertTrue(html.contains("was not found next to findings.json"));
    }

    @Test
    void reportOfALargeHeapDiffStaysUnderFiveMegabytes() throws Exception {
        Findings f = TestFindings.large();
        Path out = tmp.resolve("large.html");
        HtmlReport.write(f, out);
        long size = Files.size(out);
        assertTrue(size < 5L * 1024 * 1024, "report is " + size + " bytes");
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(html.contains(ReportView.MAX_TREE_PATHS + " of 10000 growing paths shown"), "cap is stated");
        assertTrue(html.contains(ReportView.MAX_TABLE_ROWS + " of 1002 signals shown"), "cap is stated");
    }

    @Test
    void writeReplacesTheReportAndLeavesNoTempFile() throws Exception {
        Path out = tmp.resolve("r.html");
        Files.writeString(out, "previous");
        Findings f = withFlame(TestFindings.rich("x", 1, 1, 1), null);
        HtmlReport.write(f, out);
        assertTrue(Files.readString(out).contains("<!DOCTYPE html>"));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    static Findings withFlame(Findings b, String flame) {
        NativeMemory n = b.nativeMemory();
        return new Findings(b.schema(), b.schemaVersion(), b.generatedAt(), b.generator(), b.verdict(), b.headline(),
                b.inputs(), b.target(), b.limits(), b.series(), b.growth(), b.heap(),
                new NativeMemory(n.nmtMode(), n.nmtAdvice(), n.leakSites(), flame), b.recommendations(), b.notes());
    }
}
