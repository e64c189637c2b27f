package io.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a sample leaking agent, capture it, and write leakscope-demo/report.html.")
final class DemoCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("leakscope demo: not implemented yet");
        return ExitCode.INPUT_ERROR;
    }
}
