package io.leakscope.cli;

import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.report.HtmlReport;
import io.leakscope.report.MarkdownSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Render a findings file: a self-contained HTML report (default), the findings as JSON,",
                "or a short Markdown summary for a pull-request comment. Written atomically."})
final class ReportCommand implements Callable<Integer> {
    enum Format { html, json, md }

    @Parameters(index = "0", paramLabel = "FINDINGS", description = "A findings.json file.")
    Path findings;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The file to write.")
    Path output;

    @Option(names = "--format", defaultValue = "html", description = "html (default), json or md.")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Findings f = FindingsJson.read(findings);
        switch (format) {
            case html -> HtmlReport.write(f, output, findings.toAbsolutePath().getParent());
            case json -> FindingsJson.write(f, output);
            case md -> MarkdownSummary.write(f, output);
        }
        spec.commandLine().getOut().println("verdict: " + f.verdict() + " report: " + output.toAbsolutePath());
        return ExitCode.OK;
    }
}
