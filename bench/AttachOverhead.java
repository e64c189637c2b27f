import com.sun.tools.attach.VirtualMachine;
import io.leakscope.bundle.Bundle;
import io.leakscope.bundle.CaptureEvent;
import io.leakscope.findings.Findings;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Attach overhead" benchmark (docs/benchmarks.md). Run through bench/attach-overhead.sh, which builds
 * the jar and passes it on the class path. Modes:
 * <pre>
 *   workload java|native SECONDS [RETAIN_MB]   a worker printing its operations per second
 *   overhead PAIRS WINDOW_S                    two java workers at once, leakscope attached to one (defaults)
 *   native PAIRS WINDOW_S LIB                  native workload alone vs nativemem unsampled vs nativemem=128k
 *   pauses RETAIN_MB                           pause of a class histogram and a heap dump on a live set of RETAIN_MB
 * </pre>
 */
public class AttachOverhead {
    static final int WARMUP_S = 8;
    static volatile Object sink;

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "workload" -> workload(a[1], Integer.parseInt(a[2]), a.length > 3 ? Integer.parseInt(a[3]) : 0);
            case "overhead" -> overhead(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "native" -> nativeOverhead(Integer.parseInt(a[1]), Integer.parseInt(a[2]), a[3]);
            case "pauses" -> pauses(Integer.parseInt(a[1]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    // ---- the worker -------------------------------------------------------------------------------

    /** An agent-like step: build a prompt, parse a reply into a map, keep a bounded history. */
    static void workload(String kind, int seconds, int retainMb) throws Exception {
        List<Object> retained = new ArrayList<>();
        for (long b = 0; b < (long) retainMb << 20; ) {
            if (retained.size() % 2 == 0) {
                retained.add(new byte[1 << 20]);
                b += 1 << 20;
            } else {
                List<String> small = new ArrayList<>(4096);
                for (int i = 0; i < 4096; i++) {
                    small.add("token-" + i);
                }
                retained.add(small);
                b += 4096L * 64;
            }
        }
        sun.misc.Unsafe unsafe = null;
        if (kind.equals("native")) {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (sun.misc.Unsafe) f.get(null);
        }
        System.out.println("ready pid=" + ProcessHandle.current().pid());
        LinkedHashMap<Integer, String> history = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, String> e) {
                return size() > 2000;
            }
        };
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long nextReport = System.nanoTime() + 1_000_000_000L;
        long ops = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            StringBuilder prompt = new StringBuilder(512);
            for (int k = 0; k < 20; k++) {
                prompt.append("msg ").append(i).append(':').append(k).append(' ');
            }
            Map<String, Integer> parsed = new HashMap<>();
            for (String w : prompt.toString().split(" ")) {
                parsed.merge(w, 1, Integer::sum);
            }
            history.put(i, prompt.toString());
            sink = parsed;
            if (unsafe != null) {
                for (int k = 0; k < 8; k++) {
                    long p = unsafe.allocateMemory(256 + (k << 8));
                    unsafe.putByte(p, (byte) k);
                    unsafe.freeMemory(p);
                }
            }
            ops++;
            long now = System.nanoTime();
            if (now >= nextReport) {
                // the process's CPU time (all threads: GC, JFR, agents) beside the count, so the cost in the
                // target can be told from time lost to other processes on a shared machine
                System.out.println("ops " + ops + " cpu " + ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
                ops = 0;
                nextReport += 1_000_000_000L;
            }
        }
        sink = retained;
    }

    // ---- the harness ------------------------------------------------------------------------------

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String jar() {
        return System.getProperty("java.class.path").split(":")[0];
    }

    /** A running worker and the per-second counts it printed. */
    record Worker(Process process, List<Long> perSecond, List<Long> cpuNanos) {
        /** Operations per CPU-second of the whole worker process over seconds [from, to). */
        double opsPerCpuSecond(int from, int to) {
            synchronized (perSecond) {
                int end = Math.min(to, perSecond.size()) - 1;
                long ops = 0;
                for (int i = from + 1; i <= end; i++) {
                    ops += perSecond.get(i);
                }
                return ops / ((cpuNanos.get(end) - cpuNanos.get(from)) / 1e9);
            }
        }

        double meanOver(int from, int to) {
            synchronized (perSecond) {
                return perSecond.subList(from, Math.min(to, perSecond.size())).stream().mapToLong(Long::longValue)
                        .average().orElse(Double.NaN);
            }
        }
    }

    static Worker start(String kind, int seconds, int retainMb, String xmx) throws Exception {
        Path self = Path.of("bench/AttachOverhead.java");
        // LEAKSCOPE_BENCH_WORKER_JAVA: the worker on another JDK (a JDK 21+ worker's heap dumps are written in parallel)
        String workerJava = System.getenv().getOrDefault("LEAKSCOPE_BENCH_WORKER_JAVA", java());
        Process p = new ProcessBuilder(workerJava, xmx, "-XX:+UseG1GC", "-cp", jar(), self.toString(), "workload", kind,
                Integer.toString(seconds), Integer.toString(retainMb)).redirectErrorStream(true).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String first;
        while ((first = in.readLine()) != null && !first.startsWith("ready")) {
            // compiler chatter of the source launcher
        }
        List<Long> counts = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                for (String l; (l = in.readLine()) != null; ) {
                    if (l.startsWith("ops ")) {
                        String[] f = l.split(" ");
                        synchronized (counts) {
                            counts.add(Long.parseLong(f[1]));
                            cpu.add(Long.parseLong(f[3]));
                        }
                    }
                }
            } catch (Exception ignored) {
                // ended
            }
        });
        t.setDaemon(true);
        t.start();
        return new Worker(p, counts, cpu);
    }

    static int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    /**
     * Two identical workers run at the same time, so both see the same background load (the machine is
     * shared); leakscope attaches to one of them, alternating which, with default settings. Reported: the
     * attached worker's throughput over the alone one's, for the whole capture window and for its steady
     * part (after the first 10 s: attach, JFR start and the first histogram), and leakscope's own CPU time.
     */
    static void overhead(int pairs, int window) throws Exception {
        Path out = Files.createTempDirectory("leakscope-bench");
        double sumWhole = 0;
        double sumSteady = 0;
        double sumCpu = 0;
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Worker[] w = {start("java", WARMUP_S + window + 2, 0, "-Xmx256m"), start("java", WARMUP_S + window + 2, 0, "-Xmx256m")};
            int attached = i % 2;
            double cpu;
            try {
                Thread.sleep(WARMUP_S * 1000L);
                Process ls = new ProcessBuilder(java(), "-jar", jar(), "attach", Long.toString(w[attached].process().pid()),
                        "--duration", window + "s", "--out", out.resolve("run" + i).toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                java.time.Duration used = java.time.Duration.ZERO;
                while (ls.isAlive()) {
                    used = ls.info().totalCpuDuration().orElse(used);
                    Thread.sleep(200);
                }
                int rc = ls.exitValue();
                if (rc == 2 || rc > 3) {
                    throw new IllegalStateException("leakscope attach exited " + rc);
                }
                cpu = used.toMillis() / 1000.0;
                w[0].process().waitFor();
                w[1].process().waitFor();
            } finally {
                w[0].process().destroyForcibly();
                w[1].process().destroyForcibly();
            }
            Worker on = w[attached];
            Worker off = w[1 - attached];
            double whole = on.meanOver(WARMUP_S, WARMUP_S + window) / off.meanOver(WARMUP_S, WARMUP_S + window);
            double steady = on.meanOver(WARMUP_S + 10, WARMUP_S + window) / off.meanOver(WARMUP_S + 10, WARMUP_S + window);
            double perCpu = on.opsPerCpuSecond(WARMUP_S, WARMUP_S + window) / off.opsPerCpuSecond(WARMUP_S, WARMUP_S + window);
            sumWhole += whole;
            sumSteady += steady;
            sumCpu += perCpu;
            rows.add(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.4f | %.4f | %.4f | %.1f |", i + 1,
                    off.meanOver(WARMUP_S, WARMUP_S + window), on.meanOver(WARMUP_S, WARMUP_S + window), whole, steady,
                    perCpu, cpu));
        }
        System.out.println("| pair | alone ops/s | attached ops/s | ratio (window) | ratio (steady, after 10 s) | ratio of ops per target CPU-s (window) | leakscope CPU s |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "mean ratio: window %.4f (%.2f%% slower), steady %.4f (%.2f%% slower),"
                        + " ops per target CPU-s %.4f (%.2f%% more CPU per op)%n", sumWhole / pairs, (1 - sumWhole / pairs) * 100,
                sumSteady / pairs, (1 - sumSteady / pairs) * 100, sumCpu / pairs, (pairs / sumCpu - 1) * 100);
    }

    static void nativeOverhead(int pairs, int window, String lib) throws Exception {
        String[] modes = {"alone", "nativemem (unsampled)", "nativemem=128k (default)"};
        String[] opts = {null, "start,nativemem=0,file=%s,jfr", "start,nativemem=128k,file=%s,jfr"};
        double[][] r = new double[pairs][3];
        Path out = Files.createTempDirectory("leakscope-bench-native");
        for (int i = 0; i < pairs; i++) {
            for (int m = 0; m < 3; m++) {
                Worker w = start("native", WARMUP_S + window + 1, 0, "-Xmx256m");
                try {
                    Thread.sleep(WARMUP_S * 1000L);
                    if (opts[m] != null) {
                        VirtualMachine vm = VirtualMachine.attach(Long.toString(w.process().pid()));
                        try {
                            vm.loadAgentPath(lib, String.format(opts[m], out.resolve("r" + i + m + ".jfr")));
                        } finally {
                            vm.detach();
                        }
                    }
                    w.process().waitFor();
                    r[i][m] = w.meanOver(WARMUP_S, WARMUP_S + window);
                } finally {
                    w.process().destroyForcibly();
                }
            }
        }
        System.out.println("| pair | " + String.join(" ops/s | ", modes) + " ops/s |");
        System.out.println("|---|---|---|---|");
        double[] ratio = new double[3];
        for (int i = 0; i < pairs; i++) {
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f |%n", i + 1, r[i][0], r[i][1], r[i][2]);
            for (int m = 0; m < 3; m++) {
                ratio[m] += r[i][m] / r[i][0] / pairs;
            }
        }
        System.out.printf(Locale.ROOT, "mean ratio to alone: unsampled %.3f, 128k %.3f%n", ratio[1], ratio[2]);
    }

    static void pauses(int retainMb) throws Exception {
        Path out = Files.createTempDirectory("leakscope-bench-pauses");
        Worker w = start("java", 60, retainMb, "-Xmx" + (retainMb * 2 + 256) + "m");
        try {
            int rc = run(List.of(java(), "-jar", jar(), "attach", Long.toString(w.process().pid()), "--duration", "12s",
                    "--interval", "3s", "--heap-dumps", "1", "--out", out.toString()));
            if (rc == 2 || rc > 3) {
                throw new IllegalStateException("leakscope attach exited " + rc);
            }
        } finally {
            w.process().destroyForcibly();
        }
        Path bundle;
        try (var s = Files.list(out)) {
            bundle = s.filter(p -> p.toString().endsWith(".leakscope")).findFirst().orElseThrow();
        }
        Bundle b = Bundle.open(bundle);
        for (CaptureEvent e : b.manifest().events()) {
            if (e.kind().equals("histogram") || e.kind().equals("heap-dump")) {
                System.out.println(e.kind() + " " + e.durationMs() + " ms  " + e.detail());
            }
        }
        // how long each stopped the worker, from its JFR recording (the analysis's capture events)
        Findings f = io.leakscope.analyze.Analyzer.standard("bench").analyze(List.of(bundle));
        for (io.leakscope.findings.Capture.Event e : f.capture().events()) {
            if (e.stoppedMs() != null) {
                System.out.println(e.kind() + " stopped the worker " + e.stoppedMs() + " ms (the call " + e.durationMs() + " ms)");
            }
        }
        b.artifacts("hprof").forEach(h -> System.out.println("dump bytes " + h.size()));
    }
}
