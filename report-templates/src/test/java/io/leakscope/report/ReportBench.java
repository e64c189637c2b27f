package io.leakscope.report;

import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Report size and rendering time (docs/benchmarks.md, "Report size and rendering"). Not a test: run it as
 * the command in that section says. Renders each findings shape 2 times to warm up, then 7 times, and prints
 * the median and the sizes of findings.json, report.html and the Markdown summary.
 */
public final class ReportBench {
    private ReportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("report-bench");
        try {
            bench("typical (5 paths, 12 signals)", TestFindings.rich("com.example.agent.Tool", 5, 5, 12), dir);
            bench("1 GB dump diff (10,000 paths, 1,000 signals)", TestFindings.large(), dir);
        } finally {
            try (var s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    static void bench(String name, Findings f, Path dir) throws Exception {
        Path json = dir.resolve("findings.json");
        Path html = dir.resolve("report.html");
        FindingsJson.write(f, json);
        long[] ms = new long[7];
        for (int i = -2; i < ms.length; i++) {
            long t = System.nanoTime();
            HtmlReport.write(f, html);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t) / 1_000_000;
            }
        }
        Arrays.sort(ms);
        int md = MarkdownSummary.render(f).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %d |%n", name, Files.size(json), Files.size(html), md, ms[ms.length / 2]);
    }
}
