package io.leakscope.report;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens reports in headless Chromium with the network off: reports of a real leaking and a real steady
 * process (bundles captured from /proc here), and a report whose names are hostile markup. Checks the
 * verdict and the charts rendered, that no script error or CSP violation happened, and that nothing from
 * the data ran. Saves a screenshot of the leak report (target/report-leak.png; with
 * -Dleakscope.updateScreenshot=true also docs/img/report-leak.png).
 */
class BrowserReportTest {
    static final Pattern ROOT = Pattern.compile("<html([^>]*)>");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void needChromium() {
        if (!HeadlessChromium.available()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed (run scripts/install-test-deps.sh); CI=true requires the browser test");
            }
            Assumptions.abort("chromium not installed (apt-get install chromium, or scripts/install-test-deps.sh): browser test skipped");
        }
    }

    /** The attributes of the dumped page's root element: where the page's error hook writes. */
    static String rootAttributes(String dom) {
        Matcher m = ROOT.matcher(dom);
        assertTrue(m.find(), "no <html> in the dumped DOM");
        return m.group(1);
    }

    static String attr(String attrs, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1) : null;
    }

    private static Path reportOf(Findings f, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        FindingsJson.write(f, dir.resolve("findings.json"));
        Path html = dir.resolve("report.html");
        HtmlReport.write(f, html);
        return html;
    }

    @Test
    void leakingAndSteadyProcessesRenderWithoutErrors() throws Exception {
        Path[] bundles = new Path[2];
        Thread leakCapture = new Thread(() -> {
            try {
                bundles[0] = RealBundles.capture(tmp, "leaking", RealBundles.LEAKING, 40, 200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        leakCapture.start();
        bundles[1] = RealBundles.capture(tmp, "steady", RealBundles.STEADY, 40, 200);
        leakCapture.join();
        Analyzer analyzer = Analyzer.standard("leakscope test");
        Findings leak = analyzer.analyze(List.of(bundles[0]));
        Findings steady = analyzer.analyze(List.of(bundles[1]));
        assertEquals(Verdict.LEAK, leak.verdict(), "the process keeping 3 MiB/s: " + leak.growth().signals());
        assertNotEquals(Verdict.LEAK, steady.verdict(), "the process letting go of what it allocates: " + steady.growth().signals());
        assertTrue(leak.recommendations().stream().anyMatch(r -> r.title().startsWith("Restart above")),
                "a leak gets a restart threshold computed from its growth: " + leak.recommendations());

        for (Findings f : List.of(leak, steady)) {
            Path html = reportOf(f, f == leak ? "leak" : "steady");
            String dom = HeadlessChromium.dumpDom(html, tmp);
            String root = rootAttributes(dom);
            assertNull(attr(root, "data-js-errors"), "script errors or CSP violations: " + attr(root, "data-js-error"));
            assertEquals("1", attr(root, "data-rendered"), "one timeline chart (resident size): " + root);
            assertTrue(dom.contains("data-verdict=\"" + f.verdict().name() + "\""), "verdict banner");
            assertTrue(dom.contains("<polyline class=\"series\""), "RSS line drawn");
            assertEquals(f == leak, dom.contains("class=\"proj\""), "projection drawn for the leak only");
        }
        Path png = tmp.resolve("report-leak.png");
        HeadlessChromium.screenshot(tmp.resolve("leak/report.html"), png, 1280, 1500, tmp);
        Files.copy(png, Path.of("target/report-leak.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("leakscope.updateScreenshot")) {
            Files.copy(png, Path.of("../docs/img/report-leak.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void hostileNamesDoNotRun() throws Exception {
        String hostile = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
                + "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
                + "'><svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\">";
        Findings f = TestFindings.rich(hostile, 3, 3, 4);
        Path html = reportOf(f, "hostile");
        String dom = HeadlessChromium.dumpDom(html, tmp);
        String root = rootAttributes(dom);
        assertNull(attr(root, "data-pwned"), "markup from the findings ran: " + root);
        assertNull(attr(root, "data-js-errors"), "script errors or CSP violations: " + attr(root, "data-js-error"));
        assertEquals("2", attr(root, "data-rendered"), "both charts drawn");
        assertFalse(dom.contains("<img src=\"x\""), "an <img> element was created from the data");
    }

    /** A flame graph written by async-profiler's converter from a JFR recording of this JVM, embedded in the report. */
    @Test
    void realFlameGraphIsEmbeddedWithoutErrors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flame"));
        Path jfr = dir.resolve("busy.jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(5));
            r.start();
            long end = System.nanoTime() + 500_000_000L;
            double x = 0;
            while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
            }
            r.stop();
            r.dump(jfr);
            assertTrue(x > 0);
        }
        one.convert.Main.main(new String[]{jfr.toString(), dir.resolve("native-leak.html").toString()});
        assertTrue(Files.readString(dir.resolve("native-leak.html")).contains("<canvas"), "converter output");
        Findings f = HtmlReportTest.withFlame(TestFindings.rich("com.example.Tool", 2, 2, 2), "native-leak.html");
        FindingsJson.write(f, dir.resolve("findings.json"));
        Path html = dir.resolve("report.html");
        HtmlReport.write(f, html);
        String dom = HeadlessChromium.dumpDom(html, tmp);
        String root = rootAttributes(dom);
        assertNull(attr(root, "data-js-errors"), "script errors or CSP violations: " + attr(root, "data-js-error"));
        assertTrue(dom.contains("<iframe class=\"flame\""), "flame graph frame");
    }

    /**
     * The sort script runs: a sort named in the address is applied on load (the order as written is by slope,
     * fastest first, so the RSS row would lead both columns unsorted).
     */
    @Test
    void tableSortsFromTheAddress() throws Exception {
        Path html = reportOf(TestFindings.rich("com.example.Tool", 2, 2, 12), "sorted");
        String bySlope = HeadlessChromium.dumpDom(html.toUri() + "#sort=grows-table:3:asc", tmp);
        String byR2 = HeadlessChromium.dumpDom(html.toUri() + "#sort=grows-table:6:asc", tmp);
        assertNull(attr(rootAttributes(bySlope), "data-js-errors"), attr(rootAttributes(bySlope), "data-js-error"));
        assertEquals("0", firstRowValue(bySlope, 3), "smallest slope first");
        assertEquals("0.9", firstRowValue(byR2, 6), "smallest R² first");
    }

    /** data-v of column {@code col} (0-based) in the first body row of the growth table. */
    static String firstRowValue(String dom, int col) {
        String table = dom.substring(dom.indexOf("id=\"grows-table\""));
        String row = table.substring(table.indexOf("<tbody>"));
        row = row.substring(row.indexOf("<tr>"), row.indexOf("</tr>"));
        Matcher m = Pattern.compile("<td([^>]*)>").matcher(row);
        for (int i = 0; m.find(); i++) {
            if (i == col) {
                return attr(m.group(1), "data-v");
            }
        }
        throw new AssertionError("no column " + col + " in " + row);
    }
}
