package io.leakscope.heap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command the tests run to its end: what it printed (stdout and stderr) and its exit code. */
record ChildProcess(int code, String out) {

    /** The command line of {@code main} in a JVM of this JDK with this class path, after {@code flags}. */
    static List<String> java(List<String> flags, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code cmd}; fails the test when it takes more than {@code timeoutSeconds}. */
    static ChildProcess run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), out);
        return new ChildProcess(p.exitValue(), out);
    }
}
