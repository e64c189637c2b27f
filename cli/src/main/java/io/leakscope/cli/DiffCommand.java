package io.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "Compare heap dumps of one process and report the dominator subtrees that grow.")
final class DiffCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("leakscope diff: not implemented yet");
        return ExitCode.INPUT_ERROR;
    }
}
