package io.leakscope.cli;

import io.leakscope.analyze.Analyzer;
import io.leakscope.collect.Attach;
import io.leakscope.collect.CaptureSession;
import io.leakscope.findings.Findings;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach to a running process by PID, capture its memory behaviour into a bundle,",
                "then analyse it. Ctrl-C ends the capture early and cleanly."})
final class AttachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PID", description = "The process to watch.")
    long pid;

    @Option(names = "--duration", defaultValue = "10m", description = "How long to capture (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--interval", defaultValue = "5s", description = "How often to sample (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--heap-dumps", defaultValue = "0", paramLabel = "N",
            description = "JVM: take N heap dumps of live objects, spread over the capture.")
    int heapDumps;

    @Option(names = "--compress-dumps", description = "JVM: gzip the heap dumps in the bundle (after the target wrote them: same pause, ~4x smaller).")
    boolean compressDumps;

    @Option(names = "--native", description = "JVM: profile native allocations (async-profiler nativemem).")
    boolean nativeMem;

    @Option(names = "--alloc", description = "JVM: profile Java allocations that stay live.")
    boolean alloc;

    @Option(names = "--children", description = "Sum the whole process tree and keep each child's series.")
    boolean children;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration d = Units.parseDuration(duration);
        Duration i = Units.parseDuration(interval);
        Path dir = output.dir("attach");
        AtomicFiles.createPrivateDirectories(dir);
        CaptureSession session = Attach.prepare(pid, dir,
                new Attach.Options(d, i, heapDumps, nativeMem, alloc, children, compressDumps), err);
        Thread hook = new Thread(() -> {
            session.requestStop();
            try {
                session.awaitDone(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "leakscope-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Path bundle;
        try {
            err.println("leakscope: capturing PID " + pid + " for " + duration + " every " + interval + " (Ctrl-C ends early)");
            bundle = session.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running and waits for us
            }
        }
        out.println("bundle: " + bundle.toAbsolutePath());
        Findings f = Analyzer.standard("leakscope " + LeakscopeCommand.version()).analyze(List.of(bundle));
        OutputOptions.write(f, dir, out);
        return ExitCode.forAnalysis(f.verdict());
    }
}
