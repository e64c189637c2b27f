package io.leakscope.report;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Input;
import io.leakscope.findings.JvmInfo;
import io.leakscope.findings.Limits;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Note;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.findings.Target;
import io.leakscope.findings.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * Findings with every section filled, for the template: names come from the caller, so the same shape serves
 * the escaping test (hostile names) and the size test (many paths, many classes). The measurements
 * themselves come from the real-bundle tests; this only exercises the rendering.
 */
final class TestFindings {
    static final long MIB = 1024 * 1024;

    private TestFindings() {
    }

    /**
     * @param name       used in every name a dump or a process can control (class names, fields, paths, frames)
     * @param paths      growing dominator paths
     * @param classesPer accumulated classes per path
     * @param signals    fitted signals (class.* series)
     */
    static Findings rich(String name, int paths, int classesPer, int signals) {
        int n = 240;
        long t0 = 1_764_000_000_000L;
        long[] t = new long[n];
        double[] rss = new double[n];
        double[] heap = new double[n];
        double[] psi = new double[n];
        double[] high = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i * 5_000L;
            rss[i] = 300 * MIB + i * 0.5 * MIB + (i % 5) * MIB;
            heap[i] = 120 * MIB + i * 0.4 * MIB + (i % 3) * 0.5 * MIB;
            psi[i] = i > 200 ? 4.5 : 0;
            high[i] = i > 220 ? i - 220 : 0;
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series("process.rss", "RSS " + name, "bytes", "proc", "total", null, t, rss));
        series.add(new Series("jvm.heap.after_gc", "Java heap after GC", "bytes", "jfr", "total", null, t, heap));
        series.add(new Series("psi.memory.full.avg10", "PSI", "percent", "psi", "context", null, t, psi));
        series.add(new Series("cgroup.events.high", "high", "count", "cgroup", "context", null, t, high));
        List<Growth.SignalFit> fits = new ArrayList<>();
        Growth.TimeToLimit ttl = new Growth.TimeToLimit(512 * MIB, "cgroup memory limit", 1500.0, 2400.0, null, null,
                null, "between 25 m and 40 m");
        fits.add(new Growth.SignalFit("process.rss", "bytes", "values", Verdict.LEAK, 6.0 * MIB, 5.5 * MIB, 6.5 * MIB,
                0.5 * MIB, 1e-12, 0.97, 220, t[20], rss[n - 1], null, null, ttl, "grows steadily " + name));
        fits.add(new Growth.SignalFit("jvm.heap.after_gc", "bytes", "values", Verdict.LEAK, 4.8 * MIB, 4.5 * MIB,
                5.1 * MIB, 0.5 * MIB, 1e-11, 0.95, 220, t[20], heap[n - 1], null, null, null, "heap grows"));
        for (int k = 0; k < signals; k++) {
            String id = "class." + name + k + ".bytes";
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = k * 1000 + i * (k % 7) * 100.0;
            }
            series.add(new Series(id, name + k, "bytes", "histogram", "part", "jvm.heap.after_gc", t, v));
            fits.add(new Growth.SignalFit(id, "bytes", "values", k % 7 == 0 ? Verdict.STABLE : Verdict.LEAK,
                    (k % 7) * 1200.0, (k % 7) * 1000.0, (k % 7) * 1400.0, 500.0, 0.001 / (k + 1), 0.9, 200, t[20],
                    v[n - 1], null, null, null, name));
        }
        List<Growth.Attribution> attr = List.of(new Growth.Attribution("jvm.heap.after_gc", "class." + name + "1.bytes",
                name + "1", 4.0 * MIB, 0.83, 1), new Growth.Attribution("jvm.heap.after_gc", "unexplained", null, 0.8 * MIB, 0.17, 0));
        List<Heap.GrowingPath> growing = new ArrayList<>();
        for (int p = 0; p < paths; p++) {
            List<Heap.Accumulated> acc = new ArrayList<>();
            for (int c = 0; c < classesPer; c++) {
                acc.add(new Heap.Accumulated(name + ".Class" + c, List.of(1000L + c, 2000L + c, 3000L + c),
                        List.of(48_000L + c, 96_000L + c, 144_000L + c)));
            }
            growing.add(new Heap.GrowingPath("sig-" + p + "-" + name,
                    List.of("Thread main " + name, name + ".Agent.conversations", "java.util.ArrayList.elementData",
                            name + ".Turn" + p + ".toolOutputs"),
                    name + ".Turn" + p, List.of(10 * MIB, 20 * MIB, 30 * MIB), List.of(1000L, 2000L, 3000L), 10 * MIB,
                    4.0 * MIB, 1000, acc));
        }
        List<Heap.DumpSummary> dumps = List.of(
                new Heap.DumpSummary("heap/dump-1-" + name + ".hprof", t[60], 1_000_000, 100 * MIB, 900_000, 90 * MIB,
                        0, 0, null, 3_000_000, 1200, false, null, List.of(), List.of(), List.of()),
                new Heap.DumpSummary("heap/dump-2.hprof", t[200], 2_000_000, 200 * MIB, 1_800_000, 180 * MIB,
                        3 * MIB, 0, List.of("GC root (sticky class): class " + name + ".Cache",
                                ".ENTRIES → java.util.ArrayList", ".elementData → java.lang.Object[]",
                                "[0] → java.lang.ref.SoftReference"), 6_000_000,
                        1200, true, "truncated at byte 123456 " + name, List.of(),
                        List.of(new Heap.ClassRow(name + ".Agent", 1, 24, 120 * MIB),
                                new Heap.ClassRow(name + ".Turn", 5000, 240_000, 100 * MIB),
                                new Heap.ClassRow("byte[]", 90_000, 80 * MIB, 80 * MIB)),
                        List.of(new Heap.Dominator(name + ".Agent", 120 * MIB, 95_001, 24,
                                List.of("GC root (Java frame in " + name + ".Main.main(Main.java:9)): " + name + ".Agent")))));
        List<Heap.LeakSuspect> suspects = List.of(new Heap.LeakSuspect("heap/dump-2.hprof", "One " + name + " instance retains 60% of the heap",
                name + ".Agent", "held by the static field " + name + ".Main.AGENT", 120 * MIB, 0.6, name + ".Agent.conversations",
                List.of("Thread main", name + ".Agent.conversations", "[" + name + "]"),
                List.of(new Heap.ClassRow(name + ".Turn", 5000, 240_000, 100 * MIB))));
        Heap.SecretScan secrets = new Heap.SecretScan(50_000, 7, false, List.of(new Heap.SecretHolder("heap/dump-2.hprof",
                name + ".Agent.env", "api-key", 7, List.of("sk-…"), null)));
        NativeMemory nat = new NativeMemory("off", "add -XX:NativeMemoryTracking=summary",
                List.of(new NativeMemory.LeakSite(List.of("malloc " + name, "Java_" + name + "_alloc", "caller"), 8 * MIB, 1024, "nativemem")),
                null);
        List<Recommendation> recs = List.of(
                new Recommendation("containment", "systemd: MemoryHigh=400M " + name, "detail " + name, "systemctl set-property " + name),
                new Recommendation("jvm-flag", "-XX:+ExitOnOutOfMemoryError", "why", "-XX:+ExitOnOutOfMemoryError"),
                new Recommendation("code", "Growing: " + name, "path " + name, null));
        Target target = new Target(4242L, "jvm", "java -Xmx256m -jar " + name + ".jar", "2026-11-24T06:00:00Z", "app",
                new JvmInfo("Vendor " + name, "17.0.15", "OpenJDK 64-Bit Server VM", List.of("-Xmx256m", "-D" + name), 256 * MIB, "off"));
        Limits limits = Limits.withEffective(24L * 1024 * MIB, 0L, 2, "/system.slice/" + name + ".service", 512 * MIB, null, 256 * MIB);
        return new Findings(Findings.SCHEMA, Findings.SCHEMA_VERSION, "2026-11-24T06:30:00Z", "leakscope test",
                Verdict.LEAK, "Memory grows steadily: a leak. " + name, List.of(new Input("/tmp/" + name + ".leakscope", "bundle", 0),
                new Input("/tmp/x " + name + ".hprof", "hprof", 10)), target, limits, series,
                new Growth(fits, attr, "Heap explains 83% " + name), new Heap(dumps, suspects, growing, secrets), nat,
                recs, List.of(Note.warn("nmt " + name, "NMT was off " + name)));
    }

    /**
     * What the analysis of a 1 GB heap-dump diff can hand the report when nothing upstream caps it: thousands
     * of growing paths with deep paths and many accumulated classes, a thousand fitted class series of 600
     * points, thousands of native sites and secret holders.
     */
    static Findings large() {
        Findings base = rich("com.example.agent.memory.ConversationStore", 10_000, 20, 1_000);
        int n = 600;
        long t0 = 1_764_000_000_000L;
        List<Series> series = new ArrayList<>();
        for (Series s : base.series()) {
            long[] t = new long[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = t0 + i * 5_000L;
                v[i] = s.values()[i % s.size()] + i * 1000.0;
            }
            series.add(new Series(s.id(), s.label(), s.unit(), s.source(), s.role(), s.parent(), t, v));
        }
        List<Heap.GrowingPath> growing = new ArrayList<>();
        for (Heap.GrowingPath g : base.heap().growing()) {
            List<String> path = new ArrayList<>();
            for (int d = 0; d < 12; d++) {
                path.add("com.example.agent.memory.Node" + (d < 6 ? d : d + "_" + growing.size() % 97) + ".children[" + d + "]");
            }
            growing.add(new Heap.GrowingPath(g.signature(), path, g.accumulationPoint(), g.retainedBytes(),
                    g.objectCount(), g.bytesPerDump(), g.bytesPerMinute(), g.objectsPerDump(), g.accumulated()));
        }
        List<NativeMemory.LeakSite> sites = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            List<String> frames = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                frames.add("libagent.so`Allocator::frame" + d + "_" + i);
            }
            sites.add(new NativeMemory.LeakSite(frames, 1_000_000L - i, 100, "nativemem"));
        }
        List<Heap.SecretHolder> holders = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            holders.add(new Heap.SecretHolder("heap/dump-2.hprof", "com.example.Holder" + i, "api-key", i, List.of(), null));
        }
        List<Heap.LeakSuspect> suspects = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            suspects.add(base.heap().suspects().get(0));
        }
        Heap heap = new Heap(base.heap().dumps(), suspects, growing, new Heap.SecretScan(5_000_000, 2_000, false, holders));
        return new Findings(base.schema(), base.schemaVersion(), base.generatedAt(), base.generator(), base.verdict(),
                base.headline(), base.inputs(), base.target(), base.limits(), series, base.growth(), heap,
                new NativeMemory("detail", null, sites, null), base.recommendations(), base.notes());
    }
}
