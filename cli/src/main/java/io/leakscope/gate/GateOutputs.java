package io.leakscope.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakscope.findings.Findings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The gate's result as JUnit XML (one test case per check), SARIF 2.1.0 (one result per failure) and Markdown. */
public final class GateOutputs {
    private GateOutputs() {
    }

    // --- JUnit XML: the Surefire/Jenkins shape every CI system reads ------------------------------------

    public static byte[] junitXml(Gate.Result r) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = r.count(Gate.Status.FAIL);
        long skipped = r.count(Gate.Status.INCONCLUSIVE) + r.count(Gate.Status.SUPPRESSED);
        // the attributes and elements of Jenkins' JUnit schema (GateCommandTest validates against it)
        b.append("<testsuites name=\"leakscope\" tests=\"").append(r.checks().size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" time=\"0\">\n");
        b.append("  <testsuite name=\"leakscope.gate\" tests=\"").append(r.checks().size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" skipped=\"").append(skipped).append("\" time=\"0\" timestamp=\"")
                .append(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0)).append("\">\n");
        for (Gate.Check c : r.checks()) {
            b.append("    <testcase classname=\"leakscope.").append(xml(c.kind())).append("\" name=\"")
                    .append(xml(c.name())).append("\" time=\"0\"");
            switch (c.status()) {
                case PASS -> b.append(">\n      <system-out>").append(xml(c.summary())).append('\n')
                        .append(xml(nz(c.detail()))).append("</system-out>\n    </testcase>\n");
                case FAIL -> b.append(">\n      <failure type=\"").append(c.kind().equals("signal") ? "leak" : "growing-path")
                        .append("\" message=\"").append(xml(c.summary())).append("\">").append(xml(nz(c.detail())))
                        .append("</failure>\n    </testcase>\n");
                case INCONCLUSIVE, SUPPRESSED -> b.append(">\n      <skipped>").append(xml(c.summary()))
                        .append("</skipped>\n    </testcase>\n");
            }
        }
        b.append("  </testsuite>\n</testsuites>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Escapes for both text and attribute values; drops characters XML 1.0 cannot carry. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\n' -> b.append("&#10;");
                default -> {
                    if (c == '\t' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                            || c >= 0x10000 && c <= 0x10FFFF) {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // --- SARIF 2.1.0 ------------------------------------------------------------------------------------

    public static byte[] sarif(Gate.Result r, Findings f, String version) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "leakscope");
        driver.put("version", version);
        ArrayNode rules = driver.putArray("rules");
        rule(rules, "leakscope/leak", "A memory signal grows steadily (a leak)",
                "The growth stage found a significant monotonic trend in this memory signal above the gate's threshold or baseline.");
        rule(rules, "leakscope/growing-path", "A retained heap subtree grows in every dump",
                "A dominator subtree, matched across heap dumps, grows in retained size and object count in every interval.");
        ArrayNode results = run.putArray("results");
        for (Gate.Check c : r.checks()) {
            if (c.status() != Gate.Status.FAIL) {
                continue;
            }
            ObjectNode res = results.addObject();
            res.put("ruleId", c.kind().equals("signal") ? "leakscope/leak" : "leakscope/growing-path");
            res.put("ruleIndex", c.kind().equals("signal") ? 0 : 1);
            res.put("level", "error");
            res.putObject("message").put("text", c.name() + ": " + c.summary()
                    + (c.detail() != null && !c.detail().isEmpty() ? "\n" + c.detail() : ""));
            if (c.location() != null) {
                ObjectNode phys = res.putArray("locations").addObject().putObject("physicalLocation");
                phys.putObject("artifactLocation").put("uri", c.location().uri()).put("uriBaseId", "%SRCROOT%");
                if (c.location().line() > 0) {
                    phys.putObject("region").put("startLine", c.location().line());
                }
            }
            res.putObject("partialFingerprints").put("leakscope/v1", c.id());
        }
        ObjectNode inv = run.putArray("invocations").addObject();
        inv.put("executionSuccessful", true);
        if (f.target() != null && f.target().commandLine() != null) {
            inv.put("commandLine", f.target().commandLine());
        }
        return m.writeValueAsBytes(root);
    }

    private static void rule(ArrayNode rules, String id, String shortText, String fullText) {
        ObjectNode r = rules.addObject();
        r.put("id", id);
        r.putObject("shortDescription").put("text", shortText);
        r.putObject("fullDescription").put("text", fullText);
        r.putObject("defaultConfiguration").put("level", "error");
    }

    // --- Markdown (GitHub step summary, PR comments) --------------------------------------------------

    public static String markdown(Gate.Result r, String findingsMarkdown) {
        StringBuilder b = new StringBuilder();
        b.append("## leakscope gate: ").append(r.outcome()).append("\n\n");
        b.append("| check | result | why |\n|---|---|---|\n");
        for (Gate.Check c : r.checks()) {
            b.append("| ").append(md(c.name())).append(" | ").append(c.status().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(md(c.summary())).append(" |\n");
        }
        if (r.checks().isEmpty()) {
            b.append("| (no signal to check) | inconclusive | the findings hold no growth fit or heap diff |\n");
        }
        b.append('\n').append(findingsMarkdown);
        return b.toString();
    }

    /** Table-cell safe: no pipes, no newlines, no raw HTML. */
    static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\n", " ").replace("`", "\\`");
    }
}
