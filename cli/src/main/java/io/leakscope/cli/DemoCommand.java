package io.leakscope.cli;

import io.leakscope.analyze.Analyzer;
import io.leakscope.collect.Attach;
import io.leakscope.collect.CaptureSession;
import io.leakscope.findings.Findings;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;
import io.leakscope.io.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a sample LLM-agent JVM that leaks (it keeps every raw tool output in its",
                "conversation history), attach to it for about a minute with two heap dumps, analyse,",
                "and write leakscope-demo/report.html."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--scenario", defaultValue = "history",
            description = "Sample to run: history, spans, listeners, offheap, slowleak, churn, cache (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--duration", defaultValue = "60s", description = "Capture length (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = {"-o", "--out"}, defaultValue = "leakscope-demo", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration d = Units.parseDuration(duration);
        AtomicFiles.createPrivateDirectories(out);
        Process agent = startAgent();
        try {
            err.println("leakscope demo: started sample agent '" + scenario + "' as PID " + agent.pid()
                    + "; capturing for " + duration + " with 2 heap dumps");
            Duration interval = Duration.ofMillis(Math.max(1000, d.toMillis() / 30));
            CaptureSession session = Attach.prepare(agent.pid(), out,
                    new Attach.Options(d, interval, 2, false, false, false), err);
            Path bundle = session.run();
            Findings f = Analyzer.standard("leakscope " + LeakscopeCommand.version()).analyze(List.of(bundle));
            stdout.println("culprit: " + Culprit.describe(f));
            OutputOptions.write(f, out, stdout);
            return ExitCode.forAnalysis(f.verdict());
        } finally {
            agent.destroy();
            if (!agent.waitFor(5, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** Starts the sample from our own class path (the shaded jar carries the samples) and waits until it runs. */
    private Process startAgent() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseG1GC", "-XX:NativeMemoryTracking=summary",
                "-cp", System.getProperty("java.class.path"), "io.leakscope.samples.SampleAgent", scenario,
                "--rate", "200")
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("ready")) {
            p.destroyForcibly();
            throw new InputException("the sample agent did not start: " + (line == null ? "no output" : line));
        }
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException e) {
                // the agent was stopped
            }
        }, "demo-agent-output");
        drain.setDaemon(true);
        drain.start();
        return p;
    }
}
