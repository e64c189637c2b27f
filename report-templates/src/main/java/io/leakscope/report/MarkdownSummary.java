package io.leakscope.report;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A short Markdown summary of findings for a pull-request comment: the verdict and its confidence, the
 * answers of the report's first screen, the fastest-growing signals and what to do. Used by
 * {@code leakscope report --format md} and by the gate.
 *
 * <p>Names from a dump end up in a comment that GitHub renders as Markdown with inline HTML, so every value
 * is escaped: HTML metacharacters become entities and Markdown's own are backslash-escaped.
 */
public final class MarkdownSummary {
    static final int MAX_ROWS = 5;

    private MarkdownSummary() {
    }

    public static String render(Findings f) {
        Growth.SignalFit lead = ReportView.leadFit(f);
        StringBuilder b = new StringBuilder(2048);
        String icon = switch (f.verdict()) {
            case LEAK -> "🔴";
            case SATURATING -> "🟠";
            case STABLE -> "🟢";
            case INCONCLUSIVE -> "⚪";
        };
        b.append("### ").append(icon).append(" leakscope: **").append(f.verdict().name()).append("** (")
                .append(ReportView.confidenceWords(f.verdict(), lead)).append(")\n\n");
        if (f.headline() != null) {
            b.append(esc(f.headline())).append('\n');
        }
        String nums = ReportView.confidenceNumbers(lead);
        if (nums != null) {
            b.append('\n').append("<sub>").append(esc(lead.seriesId())).append(": ").append(esc(nums)).append("</sub>\n");
        }
        Series s = lead != null ? f.series(lead.seriesId()) : null;
        boolean bytes = s == null || "bytes".equals(s.unit());
        List<String[]> facts = new ArrayList<>();
        if (lead != null && lead.slopePerMinute() != null && lead.slopePerMinute() > 0) {
            facts.add(new String[]{"How fast", ReportView.rate(lead.slopePerMinute(), bytes)
                    + (lead.slopeLow() != null && lead.slopeHigh() != null ? " (" + ReportView.rate(lead.slopeLow(), bytes)
                    + " to " + ReportView.rate(lead.slopeHigh(), bytes) + ")" : "")});
        }
        // the first limit any leaking signal reaches (the heap's -Xmx may come before the resident limit)
        Growth.SignalFit first = ReportView.firstToALimit(f);
        if (first != null) {
            Growth.TimeToLimit t = first.timeToLimit();
            Series fs = f.series(first.seriesId());
            String what = fs != null && fs.label() != null ? fs.label() : first.seriesId();
            facts.add(new String[]{"Hits the limit", what + ": in " + io.leakscope.io.Units.formatDuration(t.earliestSecs())
                    + (t.latestSecs() != null ? " to " + io.leakscope.io.Units.formatDuration(t.latestSecs()) : " or later")
                    + " (" + t.limitSource() + ")"});
        }
        String culprit = ReportView.culprit(f);
        if (culprit != null) {
            facts.add(new String[]{"Responsible", culprit});
        }
        if (!facts.isEmpty()) {
            b.append("\n| | |\n|---|---|\n");
            for (String[] r : facts) {
                b.append("| ").append(r[0]).append(" | ").append(esc(r[1])).append(" |\n");
            }
        }
        List<Growth.SignalFit> growing = new ArrayList<>();
        for (Growth.SignalFit g : f.growth().signals()) {
            if (g.slopePerMinute() != null && g.slopePerMinute() > 0 && g.verdict() != null
                    && g.verdict().severity() >= 2) {
                growing.add(g);
            }
        }
        growing.sort((x, y) -> Double.compare(y.slopePerMinute(), x.slopePerMinute()));
        if (!growing.isEmpty()) {
            b.append("\n**Growing** (fastest ").append(Math.min(MAX_ROWS, growing.size())).append(" of ")
                    .append(growing.size()).append(")\n\n| signal | verdict | slope | p |\n|---|---|---:|---:|\n");
            for (Growth.SignalFit g : growing.subList(0, Math.min(MAX_ROWS, growing.size()))) {
                Series gs = f.series(g.seriesId());
                String name = gs != null && gs.label() != null ? gs.label() : g.seriesId();
                b.append("| ").append(code(name)).append(" | ").append(g.verdict().name()).append(" | ")
                        .append(esc(ReportView.rate(g.slopePerMinute(), gs == null || "bytes".equals(gs.unit()))))
                        .append(" | ").append(g.pValue() != null ? ReportView.sig(g.pValue()) : "").append(" |\n");
            }
        }
        List<Recommendation> recs = f.recommendations();
        if (!recs.isEmpty()) {
            b.append("\n**What to do**\n\n");
            int n = 0;
            for (Recommendation r : recs) {
                if (n++ == MAX_ROWS) {
                    b.append("- … ").append(recs.size() - MAX_ROWS).append(" more in the HTML report\n");
                    break;
                }
                b.append("- ").append(esc(r.title()));
                if (r.command() != null) {
                    b.append(": ").append(code(r.command()));
                }
                b.append('\n');
            }
        }
        b.append("\n<sub>").append(esc(f.generator() != null ? f.generator() : "leakscope")).append(" · findings schema ")
                .append(esc(f.schemaVersion())).append(" · full report: report.html</sub>\n");
        return b.toString();
    }

    public static void write(Findings f, Path file) throws IOException {
        AtomicFiles.write(file, render(f).getBytes(StandardCharsets.UTF_8));
    }

    /** Text safe in a Markdown table cell that GitHub renders with inline HTML. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\n', '\r' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']', '|', '#', '!', '~' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A code span for names and commands. GitHub still ends a table cell at '|' and the span at a backtick,
     * so those are replaced; text with HTML metacharacters is written escaped instead, outside a span,
     * so that no renderer can take it for markup.
     */
    static String code(String s) {
        if (s.indexOf('<') >= 0 || s.indexOf('>') >= 0 || s.indexOf('&') >= 0) {
            return esc(s);
        }
        String t = s.replace('`', '\'').replace("|", "¦").replace('\n', ' ').replace('\r', ' ');
        return "`" + t + "`";
    }
}
