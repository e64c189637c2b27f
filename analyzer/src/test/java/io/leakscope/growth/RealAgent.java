package io.leakscope.growth;

import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;
import io.leakscope.findings.Series;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A sample agent run for real in its own JVM, watched from outside: the test attaches by PID, starts the
 * local management agent and records the heap after every collection from the GC notifications, plus
 * its RSS from /proc. Until the JVM collector produces these series in a bundle, this is how the growth
 * tests and the benchmark get real captures.
 */
final class RealAgent implements AutoCloseable {
    private final Process process;
    private final JMXConnector jmx;
    private final long vmStartMs;
    private final Set<String> heapPools = new HashSet<>();
    private final List<long[]> afterGcRaw = new ArrayList<>();
    private final List<long[]> rssRaw = new ArrayList<>();
    private final List<com.sun.management.GarbageCollectorMXBean> collectors = new ArrayList<>();
    private final Set<String> seenGcs = new HashSet<>();
    private final java.util.Map<String, List<long[]>> classBytes = new java.util.TreeMap<>();
    private final java.util.Map<String, List<long[]>> nmtCommitted = new java.util.TreeMap<>();
    private MBeanServerConnection connection;

    private RealAgent(Process process, JMXConnector jmx, long vmStartMs) {
        this.process = process;
        this.jmx = jmx;
        this.vmStartMs = vmStartMs;
    }

    /** Starts {@code SampleAgent scenario} with the given JVM options and subscribes to its collections. */
    static RealAgent start(String scenario, List<String> jvmOptions, List<String> agentArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(io.leakscope.samples.SampleAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, "io.leakscope.samples.SampleAgent", scenario));
        cmd.addAll(agentArgs);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready pid=")) {
                throw new IllegalStateException("sample agent " + scenario + " did not start: " + line);
            }
            VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection conn = c.getMBeanServerConnection();
            RuntimeMXBean rt = ManagementFactory.newPlatformMXBeanProxy(conn, ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
            RealAgent a = new RealAgent(p, c, rt.getStartTime());
            a.connection = conn;
            for (MemoryPoolMXBean pool : ManagementFactory.getPlatformMXBeans(conn, MemoryPoolMXBean.class)) {
                if (pool.getType() == MemoryType.HEAP) {
                    a.heapPools.add(pool.getName());
                }
            }
            for (ObjectName gc : conn.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
                a.collectors.add(ManagementFactory.newPlatformMXBeanProxy(conn, gc.toString(),
                        com.sun.management.GarbageCollectorMXBean.class));
            }
            return a;
        } catch (Exception | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * Polls each collector's last collection. Polling rather than GC notifications on purpose: the JMX
     * connector buffers up to 1000 notifications inside the target, and that buffer alone made the
     * churning agent's heap after GC grow.
     */
    private void pollCollections() {
        for (com.sun.management.GarbageCollectorMXBean gc : collectors) {
            GcInfo info = gc.getLastGcInfo();
            if (info == null || !seenGcs.add(gc.getName() + "#" + info.getId())) {
                continue;
            }
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            afterGcRaw.add(new long[] {vmStartMs + info.getEndTime(), used});
        }
    }

    /** Samples RSS from /proc/PID/status and the last collections every {@code periodMs} for {@code seconds}. */
    void watch(double seconds, long periodMs) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        File status = new File("/proc/" + process.pid() + "/status");
        while (System.nanoTime() < end && process.isAlive()) {
            pollCollections();
            for (String line : Files.readAllLines(status.toPath())) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    rssRaw.add(new long[] {System.currentTimeMillis(), kb * 1024});
                }
            }
            Thread.sleep(periodMs);
        }
    }

    private static final ObjectName DIAGNOSTIC = name("com.sun.management:type=DiagnosticCommand");
    private static final java.util.regex.Pattern HISTO_LINE =
            java.util.regex.Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final java.util.regex.Pattern NMT_CATEGORY =
            java.util.regex.Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB(?: [+-]\\d+KB)?, committed=(\\d+)KB");
    private static final java.util.regex.Pattern NMT_TOTAL =
            java.util.regex.Pattern.compile("^Total: reserved=\\d+KB.*committed=(\\d+)KB");

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String diagnostic(String op, String... args) throws Exception {
        return (String) connection.invoke(DIAGNOSTIC, op, new Object[] {args}, new String[] {String[].class.getName()});
    }

    /**
     * A class histogram (GC.class_histogram: forces a full collection, as JFR's ObjectCount does) of the
     * {@code top} classes by bytes, and the NMT summary when the agent runs with NMT.
     */
    void sampleHistogramAndNmt(int top) throws Exception {
        long now = System.currentTimeMillis();
        String histo = diagnostic("gcClassHistogram");
        int k = 0;
        for (String line : histo.split("\n")) {
            java.util.regex.Matcher m = HISTO_LINE.matcher(line);
            if (m.find() && k++ < top) {
                classBytes.computeIfAbsent(m.group(3), x -> new ArrayList<>()).add(new long[] {now, Long.parseLong(m.group(2))});
            }
        }
        String nmt = diagnostic("vmNativeMemory", "summary");
        for (String line : nmt.split("\n")) {
            java.util.regex.Matcher m = NMT_CATEGORY.matcher(line.trim().startsWith("-") ? line.trim() : line);
            if (m.find()) {
                nmtCommitted.computeIfAbsent(m.group(1).trim(), x -> new ArrayList<>()).add(new long[] {now, Long.parseLong(m.group(2)) * 1024});
            }
            java.util.regex.Matcher t = NMT_TOTAL.matcher(line.trim());
            if (t.find()) {
                nmtCommitted.computeIfAbsent("total", x -> new ArrayList<>()).add(new long[] {now, Long.parseLong(t.group(1)) * 1024});
            }
        }
    }

    /** Per-class bytes as parts of jvm.heap.after_gc, NMT categories as parts of nmt.total.committed. */
    List<Series> parts() {
        List<Series> out = new ArrayList<>();
        for (java.util.Map.Entry<String, List<long[]>> e : classBytes.entrySet()) {
            if (e.getValue().size() >= 3) {
                out.add(part("class." + e.getKey() + ".bytes", e.getKey(), "histogram", "jvm.heap.after_gc", e.getValue()));
            }
        }
        for (java.util.Map.Entry<String, List<long[]>> e : nmtCommitted.entrySet()) {
            if (e.getKey().equals("total")) {
                out.add(toSeries("nmt.total.committed", "NMT committed", "nmt", e.getValue()));
            } else if (e.getValue().size() >= 3) {
                out.add(part("nmt." + e.getKey() + ".committed", e.getKey(), "nmt", "nmt.total.committed", e.getValue()));
            }
        }
        return out;
    }

    private static Series part(String id, String label, String source, String parent, List<long[]> points) {
        Series s = toSeries(id, label, source, points);
        return new Series(id, label, "bytes", source, "part", parent, s.timeMs(), s.values());
    }

    boolean alive() {
        return process.isAlive();
    }

    Series heapAfterGc() {
        List<long[]> sorted = new ArrayList<>(afterGcRaw);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        return toSeries("jvm.heap.after_gc", "heap used after GC", "jmx", sorted);
    }

    Series rss() {
        return toSeries("process.rss", "RSS", "proc", rssRaw);
    }

    private static Series toSeries(String id, String label, String source, List<long[]> points) {
        long[] t = new long[points.size()];
        double[] v = new double[points.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = points.get(i)[0];
            v[i] = points.get(i)[1];
        }
        return new Series(id, label, "bytes", source, "total", null, t, v);
    }

    @Override
    public void close() {
        try {
            jmx.close();
        } catch (Exception ignored) {
            // the agent may already be gone; it is killed next either way
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
