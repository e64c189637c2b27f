package io.leakscope.report;

import io.leakscope.findings.Findings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownSummaryTest {
    @Test
    void summarisesVerdictSpeedLimitCulpritAndActions() {
        String md = MarkdownSummary.render(TestFindings.rich("com.example.Tool", 2, 2, 8));
        assertTrue(md.startsWith("### 🔴 leakscope: **LEAK** (high confidence)"), md);
        assertTrue(md.contains("| How fast | 6.0 MiB/min (5.5 MiB/min to 6.5 MiB/min) |"), md);
        assertTrue(md.contains("| Hits the limit | RSS com.example.Tool: in 25 m 0 s to 40 m 0 s (cgroup memory limit) |"), md);
        assertTrue(md.contains("| Responsible | Thread main com.example.Tool → com.example.Tool.Agent.conversations → "
                + "java.util.ArrayList.elementData → com.example.Tool.Turn0.toolOutputs grows 4.0 MiB/min |"), md);
        assertTrue(md.contains("- systemd: MemoryHigh=400M com.example.Tool: `systemctl set-property com.example.Tool`"), md);
        assertTrue(md.contains("**Growing** (fastest 5 of 8)"), md);
        assertTrue(md.length() < 4000, "short enough for a PR comment: " + md.length());
    }

    @Test
    void markupAndTableBreakersAreEscaped() {
        String hostile = "<img src=x onerror=alert(1)>|`x`|[link](javascript:alert(2))";
        Findings f = TestFindings.rich(hostile, 1, 1, 2);
        String md = MarkdownSummary.render(f);
        assertFalse(md.contains("<img"), md);
        assertFalse(java.util.regex.Pattern.compile("(?<!\\\\)\\]\\(javascript:").matcher(md).find(), "a live link: " + md);
        for (String line : md.split("\n")) {
            if (line.startsWith("| Responsible")) {
                // a '|' in the data must not open a new cell: 3 unescaped pipes, the rest escaped
                assertTrue(line.replace("\\|", "").chars().filter(c -> c == '|').count() == 3, line);
            }
        }
    }
}
