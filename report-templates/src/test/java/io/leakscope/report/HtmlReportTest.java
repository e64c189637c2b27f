package io.leakscope.report;

import io.leakscope.findings.Findings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    @Test
    void rendersEverySection() throws Exception {
        Findings f = TestFindings.rich("com.example.Tool", 5, 5, 12);
        String html = HtmlReport.render(f);
        Files.writeString(Path.of("target/rich.html"), html);
        for (String id : new String[]{"id=\"verdict\"", "id=\"chart-rss\"", "id=\"chart-heap\"", "id=\"grows-table\"",
                "id=\"dominator-tree\"", "id=\"native\"", "id=\"secrets\"", "id=\"recommendations\"", "id=\"reproduce\""}) {
            assertTrue(html.contains(id), id);
        }
    }
}
