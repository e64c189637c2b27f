package io.leakscope.cli;

import io.leakscope.findings.Findings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse captured files offline and write findings.json and report.html.",
                "Inputs: capture bundles, .hprof heap dumps, .jfr recordings, NMT text, smaps captures,",
                "Memray outputs."})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Bundle directories or files.")
    List<Path> inputs;

    @Mixin
    OutputOptions output;

    @Mixin
    HeapOptions heap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Findings f = heap.analyzer(spec.commandLine()).analyze(inputs);
        OutputOptions.write(f, output.dir("analyze"), spec.commandLine().getOut());
        return ExitCode.forAnalysis(f.verdict());
    }
}
