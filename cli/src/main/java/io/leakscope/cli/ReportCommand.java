package io.leakscope.cli;

import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.report.HtmlReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a findings file as a self-contained HTML report (or JSON).")
final class ReportCommand implements Callable<Integer> {
    enum Format { html, json }

    @Parameters(index = "0", paramLabel = "FINDINGS", description = "A findings.json file.")
    Path findings;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The file to write.")
    Path output;

    @Option(names = "--format", defaultValue = "html", description = "html (default) or json.")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Findings f = FindingsJson.read(findings);
        switch (format) {
            case html -> HtmlReport.write(f, output);
            case json -> FindingsJson.write(f, output);
        }
        spec.commandLine().getOut().println("verdict: " + f.verdict() + " report: " + output.toAbsolutePath());
        return ExitCode.OK;
    }
}
