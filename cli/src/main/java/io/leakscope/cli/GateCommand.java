package io.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "gate", mixinStandardHelpOptions = true, description = "Fail a CI pipeline when a build leaks or regresses against a baseline.")
final class GateCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("leakscope gate: not implemented yet");
        return ExitCode.INPUT_ERROR;
    }
}
