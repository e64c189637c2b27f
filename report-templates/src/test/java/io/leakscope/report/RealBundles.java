package io.leakscope.report;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.BundleWriter;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Capture bundles of real processes: a Python worker that keeps what it allocates (a leak) or one that
 * churns through the same amount and lets it go (no leak), started here, its /proc RSS sampled here and
 * written with {@link BundleWriter} and {@link SeriesCsv} exactly as the process collector writes them.
 */
final class RealBundles {
    static final String LEAKING = """
            import sys, time
            keep = []
            print("ready", flush=True)
            while True:
                keep.append(bytearray(b"x" * (64 * 1024)))
                time.sleep(0.02)
            """;
    static final String STEADY = """
            import sys, time
            print("ready", flush=True)
            while True:
                junk = [bytearray(b"x" * (192 * 1024)) for _ in range(20)]
                del junk
                time.sleep(0.02)
            """;

    private RealBundles() {
    }

    /** Starts {@code script}, samples its RSS every {@code intervalMs} for {@code samples} points, kills it. */
    static Path capture(Path parent, String name, String script, int samples, long intervalMs) throws Exception {
        Process p = new ProcessBuilder("python3", "-u", "-c", script).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            if (!"ready".equals(first)) {
                throw new IllegalStateException("python3 did not start: " + first);
            }
            long pid = p.pid();
            BundleWriter w = BundleWriter.create(parent, name, "leakscope test");
            w.target(new Target(pid, "process", "python3 -u -c <" + name + " script>", null,
                    System.getProperty("user.name"), null));
            Map<String, Long> mem = meminfo();
            w.limits(Limits.withEffective(mem.get("MemTotal"), mem.get("SwapTotal"), null, null, null, null, null));
            w.setting("interval", intervalMs + "ms");
            Path csv = w.file("series", "process.csv");
            try (SeriesCsv.Writer sw = new SeriesCsv.Writer(csv, List.of(
                    SeriesCsv.Column.total("process.rss", "bytes"),
                    SeriesCsv.Column.part("process.anon", "bytes", "process.rss"),
                    SeriesCsv.Column.context("psi.memory.some.avg10", "percent")))) {
                for (int i = 0; i < samples; i++) {
                    Map<String, Long> st = status(pid);
                    sw.append(System.currentTimeMillis(), st.get("VmRSS"), st.get("RssAnon"), psiSome());
                    Thread.sleep(intervalMs);
                }
            }
            w.add(csv, ArtifactKind.SERIES, Map.of("source", "proc"));
            return w.finish("completed");
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** kB fields of /proc/PID/status, in bytes. */
    static Map<String, Long> status(long pid) throws IOException {
        return kbFields(Path.of("/proc", Long.toString(pid), "status"));
    }

    static Map<String, Long> meminfo() throws IOException {
        return kbFields(Path.of("/proc/meminfo"));
    }

    private static Map<String, Long> kbFields(Path file) throws IOException {
        Map<String, Long> m = new java.util.HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.split(":\\s+", 2);
            if (kv.length == 2 && kv[1].endsWith(" kB")) {
                m.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).trim()) * 1024);
            }
        }
        return m;
    }

    private static double psiSome() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/memory"))) {
                if (line.startsWith("some ")) {
                    for (String f : line.split(" ")) {
                        if (f.startsWith("avg10=")) {
                            return Double.parseDouble(f.substring(6));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI on this kernel: the column stays empty
        }
        return Double.NaN;
    }
}
