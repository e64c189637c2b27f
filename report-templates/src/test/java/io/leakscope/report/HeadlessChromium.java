package io.leakscope.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium run headless on a local file with the network off: the flags keep it from reaching out
 * at start, a resolver rule and a dead proxy make any request the page might try fail, and each run gets
 * a fresh profile. The page's own error hook records script errors and CSP violations on its root element,
 * which {@link #dumpDom} returns.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static String dumpDom(Path html, Path work) throws IOException, InterruptedException {
        return dumpDom(html.toUri().toString(), work);
    }

    static String dumpDom(String url, Path work) throws IOException, InterruptedException {
        Path out = work.resolve("dom-" + System.nanoTime() + ".html");
        run(work, out, List.of("--dump-dom", url));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static void screenshot(Path html, Path png, int width, int height, Path work) throws IOException, InterruptedException {
        run(work, work.resolve("shot-" + System.nanoTime() + ".log"), List.of("--hide-scrollbars",
                "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), html.toUri().toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot " + png);
        }
    }

    private static void run(Path work, Path stdout, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile, "--virtual-time-budget=3000"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(work.resolve("chromium-stderr-" + System.nanoTime() + ".log").toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new IOException("chromium did not finish within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue());
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
