package io.leakscope.cli;

import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.io.AtomicFiles;
import io.leakscope.report.HtmlReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code --out DIR} and the writing of findings.json and report.html there: shared by every result command. */
public final class OutputOptions {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Where to write findings.json and report.html (default: a new folder leakscope-COMMAND-TIME here).")
    Path out;

    /** The output folder: as given, or a new one named after the command and the time. */
    public Path dir(String command) {
        if (out != null) {
            return out;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Paths.get("leakscope-" + command + "-" + stamp);
    }

    /**
     * Writes findings.json and report.html into {@code dir}, each atomically, and prints the closing line:
     * the verdict and the report's path.
     */
    public static Path write(Findings f, Path dir, PrintWriter out) throws IOException {
        AtomicFiles.createPrivateDirectories(dir);
        FindingsJson.write(f, dir.resolve("findings.json"));
        Path report = dir.resolve("report.html");
        HtmlReport.write(f, report);
        out.println("findings: " + dir.resolve("findings.json").toAbsolutePath());
        out.println("verdict: " + f.verdict() + (f.headline() != null ? " — " + f.headline() : "")
                + " report: " + report.toAbsolutePath());
        out.flush();
        return report;
    }
}
