package io.leakscope.cli;

import io.leakscope.collect.Attach;
import io.leakscope.collect.CaptureSession;
import io.leakscope.findings.Findings;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;
import io.leakscope.io.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a workload, let it warm up, attach to it, capture, analyse and decide:",
                "  leakscope gate run --duration 2m -- java -jar service.jar",
                "The workload's output goes to DIR/workload.log; it is stopped after the capture.",
                "Start the leaking process itself (use 'exec' in wrapper scripts): leakscope watches that PID."})
final class GateRunCommand implements Callable<Integer> {
    static final String DEFAULT_DURATION = "2m";

    @Option(names = "--duration", description = "Capture length (default: " + DEFAULT_DURATION
            + ", enough to decide for a workload that allocates steadily).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Wait this long after the start before capturing (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--interval", description = "Sampling interval (default: duration / 60, at least 1s).")
    String interval;

    @Option(names = "--iterations", defaultValue = "3", paramLabel = "N",
            description = "JVM workloads: heap dumps spread over the capture, compared for paths that grow in every round (default: ${DEFAULT-VALUE}; 0 = none).")
    int iterations;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The workload, after '--'.")
    List<String> command;

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
        PrintWriter err = spec.commandLine().getErr();
        gate.policy(); // a bad threshold fails now, not after a two-minute capture
        Duration d = Units.parseDuration(duration != null ? duration : DEFAULT_DURATION);
        if (duration == null) {
            err.println("leakscope gate run: capturing " + DEFAULT_DURATION
                    + " (the default: enough to decide for a steadily allocating workload; --duration to change)");
        }
        Duration iv = interval != null ? Units.parseDuration(interval) : Duration.ofMillis(Math.max(1000, d.toMillis() / 60));
        Duration w = Units.parseDuration(warmup);
        Path dir = output.dir("gate");
        AtomicFiles.createPrivateDirectories(dir);
        Process workload = start(dir.resolve("workload.log"));
        try {
            err.println("leakscope gate run: started PID " + workload.pid() + ": " + String.join(" ", command));
            if (workload.waitFor(w.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new InputException("the workload exited with code " + workload.exitValue()
                        + " during the warm-up (see " + dir.resolve("workload.log") + ")");
            }
            CaptureSession session = Attach.prepare(workload.pid(), dir,
                    new Attach.Options(d, iv, iterations, false, false, false), err);
            Path bundle = session.run();
            Findings f = heap.analyzer(spec.commandLine()).analyze(List.of(bundle));
            return gate.decide(f, dir, spec.commandLine().getOut());
        } finally {
            stop(workload);
        }
    }

    private Process start(Path log) throws IOException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new InputException("cannot start the workload '" + command.get(0) + "': " + e.getMessage());
        }
    }

    /** SIGTERM, then SIGKILL after 10 s, for the workload and whatever it started. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
