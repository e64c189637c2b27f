package io.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "attach", mixinStandardHelpOptions = true, description = "Attach to a running process by PID and capture its memory behaviour into a bundle.")
final class AttachCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("leakscope attach: not implemented yet");
        return ExitCode.INPUT_ERROR;
    }
}
