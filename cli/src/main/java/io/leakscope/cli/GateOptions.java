package io.leakscope.cli;

import io.leakscope.analyze.InputKind;
import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Verdict;
import io.leakscope.gate.Gate;
import io.leakscope.gate.GateOutputs;
import io.leakscope.gate.GatePolicy;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;
import io.leakscope.io.Units;
import io.leakscope.report.MarkdownSummary;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The gate's thresholds and outputs, shared by {@code gate} and {@code gate run}. */
public final class GateOptions {
    @Option(names = "--max-slope", paramLabel = "[SIGNAL=]RATE",
            description = {"Fail when a signal grows significantly faster than RATE (its slope's lower bound is above it),",
                    "e.g. 2MB/min or heap=1MB/min. SIGNAL: heap, native, rss or a series id; none = every signal."})
    List<String> maxSlope = List.of();

    @Option(names = "--max-growth", paramLabel = "[SIGNAL=]SIZE",
            description = "Fail when a signal grew more than SIZE after warm-up, e.g. 20MB or rss=100MB.")
    List<String> maxGrowth = List.of();

    @Option(names = "--fail-on", paramLabel = "VERDICTS", split = ",",
            description = "Verdicts that fail: leak (default), saturating.")
    List<String> failOn;

    @Option(names = "--min-confidence", paramLabel = "C",
            description = "A leak whose trend confidence (1 - Mann-Kendall p) is below C counts as inconclusive (e.g. 0.99).")
    Double minConfidence;

    @Option(names = "--baseline", paramLabel = "FINDINGS",
            description = "Fail only on regressions against these findings (a faster slope, a new growing path).")
    Path baseline;

    @Option(names = "--update-baseline",
            description = "Write this run's findings to --baseline (atomically) after deciding.")
    boolean updateBaseline;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Thresholds and suppressions from leakscope.json or .yaml (options given here win).")
    Path config;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: one test case per signal and growing path.")
    Path junit;

    @Option(names = "--sarif", paramLabel = "FILE", description = "Write SARIF 2.1.0: one result per failure, at its source location.")
    Path sarif;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set).")
    Path markdown;

    GatePolicy policy() {
        GatePolicy base = config != null ? GatePolicy.read(config) : GatePolicy.defaults();
        Map<String, GatePolicy.Threshold> t = new LinkedHashMap<>();
        for (String s : maxSlope) {
            String[] kv = signalAndValue(s);
            t.merge(kv[0], new GatePolicy.Threshold(GatePolicy.parseRate(kv[1]), null), (a, b) -> a.merge(b));
        }
        for (String s : maxGrowth) {
            String[] kv = signalAndValue(s);
            t.merge(kv[0], new GatePolicy.Threshold(null, (double) Units.parseBytes(kv[1])), (a, b) -> a.merge(b));
        }
        Set<Verdict> fo = failOn != null ? GatePolicy.parseVerdicts(failOn) : null;
        if (minConfidence != null && (minConfidence < 0 || minConfidence >= 1)) {
            throw new InputException("--min-confidence must be in [0, 1)");
        }
        if (updateBaseline && baseline == null) {
            throw new InputException("--update-baseline needs --baseline FILE");
        }
        return base.with(fo, minConfidence, t);
    }

    private static String[] signalAndValue(String s) {
        int eq = s.indexOf('=');
        return eq < 0 ? new String[] {"*", s} : new String[] {s.substring(0, eq).trim(), s.substring(eq + 1).trim()};
    }

    /** Findings from a findings file as is, or from analysing bundles and dumps. */
    static Findings load(List<Path> inputs, HeapOptions heap, picocli.CommandLine cl) throws IOException {
        if (inputs.size() == 1 && Files.isRegularFile(inputs.get(0))
                && InputKind.FINDINGS.equals(InputKind.detect(inputs.get(0)))) {
            return FindingsJson.read(inputs.get(0));
        }
        return heap.analyzer(cl).analyze(inputs);
    }

    /** Decides, writes every output asked for (each atomically), prints one line per check; the exit code. */
    int decide(Findings f, Path outDir, PrintWriter out) throws IOException {
        GatePolicy p = policy();
        Findings base = null;
        if (baseline != null && !(updateBaseline && !Files.exists(baseline))) {
            base = FindingsJson.read(baseline);
        }
        Gate.Result r = Gate.evaluate(f, base, p);
        for (Gate.Check c : r.checks()) {
            out.printf("%-12s %s: %s%n", c.status(), c.name(), c.summary());
        }
        if (junit != null) {
            AtomicFiles.write(junit, GateOutputs.junitXml(r));
        }
        if (sarif != null) {
            AtomicFiles.write(sarif, GateOutputs.sarif(r, f, LeakscopeCommand.version()));
        }
        String md = GateOutputs.markdown(r, MarkdownSummary.render(f));
        if (markdown != null) {
            AtomicFiles.write(markdown, md.getBytes(StandardCharsets.UTF_8));
        }
        String summary = System.getenv("GITHUB_STEP_SUMMARY");
        if (summary != null && !summary.isBlank()) {
            // the runner collects this file: appending is its protocol, so no temp-and-rename here
            Files.writeString(Paths.get(summary), md + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        if (updateBaseline) {
            FindingsJson.write(f, baseline);
            out.println("baseline updated: " + baseline.toAbsolutePath());
        }
        out.printf("gate: %s — %d failed, %d passed, %d inconclusive, %d suppressed%n", r.outcome(),
                r.count(Gate.Status.FAIL), r.count(Gate.Status.PASS), r.count(Gate.Status.INCONCLUSIVE),
                r.count(Gate.Status.SUPPRESSED));
        OutputOptions.write(f, outDir, out);
        return r.exitCode();
    }

}
