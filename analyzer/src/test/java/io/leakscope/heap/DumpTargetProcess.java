package io.leakscope.heap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** Runs {@link DumpTarget} in a small JVM of its own and talks to it; always destroyed on close. */
final class DumpTargetProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    DumpTargetProcess(String... jvmFlags) throws IOException {
        this(Paths.get(System.getProperty("java.home")), jvmFlags);
    }

    /** In the JVM of another JDK (the test classes are built for 17, so any later JDK runs them). */
    DumpTargetProcess(Path javaHome, String... jvmFlags) throws IOException {
        this(javaHome, System.getProperty("java.class.path"), jvmFlags);
    }

    /** A DumpTarget from {@code classPath}: the legacy one, built for an older JDK, where that JDK runs it. */
    DumpTargetProcess(Path javaHome, String classPath, String... jvmFlags) throws IOException {
        String javaBin = javaHome.resolve("bin").resolve("java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaBin);
        cmd.add("-Xmx64m");
        if (java.util.Arrays.stream(jvmFlags).noneMatch(f -> f.startsWith("-XX:+Use") && f.endsWith("GC"))) {
            cmd.add("-XX:+UseSerialGC");
        }
        cmd.addAll(java.util.List.of(jvmFlags));
        cmd.addAll(java.util.List.of("-cp", classPath, DumpTarget.class.getName()));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        in = new PrintWriter(process.getOutputStream(), true);
        expect("ready");
    }

    long pid() {
        return process.pid();
    }

    void command(String c) throws IOException {
        in.println(c);
        expect("ok");
    }

    Path dump(Path file) throws IOException {
        command("dump " + file.toAbsolutePath());
        return file;
    }

    Path dumpGz(Path file) throws IOException {
        command("dumpgz " + file.toAbsolutePath());
        return file;
    }

    private void expect(String what) throws IOException {
        String line = out.readLine();
        if (!what.equals(line)) {
            throw new IOException("DumpTarget said " + line + " instead of " + what);
        }
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
