package io.leakscope.cli;

import io.leakscope.findings.Findings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "gate", mixinStandardHelpOptions = true, subcommands = GateRunCommand.class,
        description = {"Fail a CI pipeline when a build leaks or regresses against a baseline.",
                "INPUT: findings.json, a capture bundle, or heap dumps (analysed first).",
                "Exit codes: 0 pass, 1 leak or regression, 2 input error, 3 inconclusive.",
                "'leakscope gate run -- COMMAND...' starts a workload, captures it and decides in one step."})
final class GateCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "findings.json, bundle directories or heap dumps.")
    List<Path> inputs;

    @Mixin
    GateOptions gate;

    @Mixin
    OutputOptions output;

    @Mixin
    HeapOptions heap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (inputs == null || inputs.isEmpty()) {
            // not arity 1..*: picocli would then demand an INPUT before 'gate run' too
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'INPUT'");
        }
        Findings f = GateOptions.load(inputs, heap, spec.commandLine());
        return gate.decide(f, output.dir("gate"), spec.commandLine().getOut());
    }
}
