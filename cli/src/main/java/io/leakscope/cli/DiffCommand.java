package io.leakscope.cli;

import io.leakscope.analyze.InputKind;
import io.leakscope.findings.Findings;
import io.leakscope.io.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare heap dumps of one process and report the dominator subtrees that grow in every",
                "interval, with the path from a GC root and what accumulates there.",
                "Dumps are ordered by the time in their headers; write findings.json and report.html."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "DUMP", description = "Two or more .hprof (or .hprof.gz) dumps of one process.")
    List<Path> dumps;

    @Mixin
    OutputOptions output;

    @Mixin
    HeapOptions heap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (Path d : dumps) {
            String kind = InputKind.detect(d);
            if (!kind.equals(InputKind.HPROF)) {
                throw new InputException(d + ": not a heap dump (it looks like " + kind + ")");
            }
        }
        Findings f = heap.analyzer(spec.commandLine()).analyze(dumps);
        OutputOptions.write(f, output.dir("diff"), spec.commandLine().getOut());
        return ExitCode.forAnalysis(f.verdict());
    }
}
