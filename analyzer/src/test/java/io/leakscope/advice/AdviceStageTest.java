package io.leakscope.advice;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.findings.Growth;
import io.leakscope.findings.JvmInfo;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.findings.Target;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdviceStageTest {
    static final long MIB = 1024 * 1024;

    /** 400 MiB after warm-up, growing 2 MiB a minute (upper bound 3 MiB/min), sampled every 10 s for 30 min. */
    static FindingsBuilder leaking() {
        int n = 180;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_000_000L + i * 10_000L;
            v[i] = i < 10 ? 200 * MIB + i * 20 * MIB : 400 * MIB + (i - 10) * (2 * MIB / 6.0);
        }
        FindingsBuilder b = new FindingsBuilder();
        b.add(new Series("process.rss", "RSS", "bytes", "proc", "total", null, t, v));
        b.limits = Limits.withEffective(4096 * MIB, 0L, 2, "/agent", 2048 * MIB, null, 512 * MIB);
        Growth.TimeToLimit ttl = new Growth.TimeToLimit(2048 * MIB, "cgroup memory limit", 500 * 60.0, 900 * 60.0,
                null, null, null, "between 8 h 20 m and 15 h 0 m");
        b.growth = new Growth(List.of(new Growth.SignalFit("process.rss", "bytes", "values", Verdict.LEAK,
                2.0 * MIB, 1.0 * MIB, 3.0 * MIB, 0.1 * MIB, 1e-9, 0.99, 170, t[10], 460.0 * MIB, null, null, ttl, "grows")), List.of(), null);
        b.verdict = Verdict.LEAK;
        b.target = new Target(42L, "jvm", "java -Xmx512m -jar agent.jar", null, "app",
                new JvmInfo("v", "17", "vm", List.of("-Xmx512m"), 512 * MIB, "off"));
        return b;
    }

    static Recommendation find(List<Recommendation> rs, String titleStart) {
        return rs.stream().filter(r -> r.title().startsWith(titleStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no recommendation '" + titleStart + "' in " + rs));
    }

    @Test
    void leakIsSizedFromTheBaselineAndRestartsBeforeThrottling() {
        FindingsBuilder b = leaking();
        new AdviceStage().apply(b);
        List<Recommendation> rs = b.recommendations;
        // baseline = median of the first 17 samples after the cut: 400 + 8 × 1/3 MiB
        // MemoryHigh = baseline + max(25%, 64 MiB) ≈ 503.3 MiB → 512 MiB (16 MiB steps)
        // MemoryMax = 512 + max(128, 15 min × 3 MiB) = 640 MiB
        Recommendation sd = find(rs, "systemd:");
        assertEquals("systemd: MemoryHigh=512M, MemoryMax=640M", sd.title());
        assertTrue(sd.command().contains("MemoryHigh=512M MemoryMax=640M"), sd.command());
        assertEquals("docker run --memory=640m --memory-reservation=512m --memory-swap=640m --restart=on-failure IMAGE",
                find(rs, "Docker:").command());
        assertTrue(find(rs, "Kubernetes:").command().contains("\"640Mi\""));
        // threshold = baseline + 80% of (512 − 402.7) ≈ 490 MiB → 496 MiB; reached at 3 MiB/min after ≈ 31 min
        Recommendation restart = find(rs, "Restart above");
        assertTrue(restart.title().startsWith("Restart above 496 MiB resident, or every 31 m"), restart.title());
        assertTrue(restart.command().startsWith("RuntimeMaxSec=1860"), restart.command());
        // -Xmx 512 MiB of MemoryMax 640 MiB = 80% → capped at 75
        assertEquals("-XX:MaxRAMPercentage=75", find(rs, "-XX:MaxRAMPercentage").command());
        find(rs, "-XX:+ExitOnOutOfMemoryError");
        find(rs, "-XX:+HeapDumpOnOutOfMemoryError");
        find(rs, "-XX:NativeMemoryTracking=summary");
    }

    @Test
    void stableProcessIsSizedFromItsPeakAndGetsNoRestart() {
        FindingsBuilder b = leaking();
        Series rss = b.series.get("process.rss");
        double[] flat = new double[rss.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = 300 * MIB + (i % 7) * MIB; // peak 306 MiB
        }
        b.add(new Series("process.rss", "RSS", "bytes", "proc", "total", null, rss.timeMs(), flat));
        b.growth = new Growth(List.of(new Growth.SignalFit("process.rss", "bytes", "values", Verdict.STABLE,
                0.0, -0.1, 0.1, 0.1 * MIB, 0.6, 0.0, 180, null, 303.0 * MIB, null, null, null, "flat")), List.of(), null);
        b.verdict = Verdict.STABLE;
        b.target = new Target(42L, "jvm", "java", null, "app", new JvmInfo("v", "17", "vm",
                List.of("-XX:+ExitOnOutOfMemoryError", "-XX:+HeapDumpOnOutOfMemoryError"), 128 * MIB, "summary"));
        new AdviceStage().apply(b);
        List<Recommendation> rs = b.recommendations;
        // peak 306 MiB + 76.5 → 382.5 → 384 MiB; max 384 + 96 = 480 MiB
        assertEquals("systemd: MemoryHigh=384M, MemoryMax=480M", find(rs, "systemd:").title());
        assertFalse(rs.stream().anyMatch(r -> r.title().startsWith("Restart")), rs.toString());
        assertFalse(rs.stream().anyMatch(r -> r.title().contains("ExitOnOutOfMemoryError")), "already set");
        assertFalse(rs.stream().anyMatch(r -> r.title().contains("NativeMemoryTracking")), "NMT was on");
        assertEquals("-XX:MaxRAMPercentage=26", find(rs, "-XX:MaxRAMPercentage").command()); // 128/480
    }

    @Test
    void aJvmGetsRoomForItsWholeHeapPlusMeasuredNativeMemory() {
        FindingsBuilder b = leaking();
        long[] t = b.series.get("process.rss").timeMs();
        double[] total = new double[t.length];
        double[] heap = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            heap[i] = 300 * MIB + i * MIB;
            total[i] = heap[i] + 88 * MIB; // native: 88 MiB
        }
        b.add(new Series("nmt.total.committed", "NMT", "bytes", "nmt", "total", null, t, total));
        b.add(new Series("nmt.Java_Heap.committed", "NMT heap", "bytes", "nmt", "part", "nmt.total.committed", t, heap));
        new AdviceStage().apply(b);
        List<Recommendation> rs = b.recommendations;
        // MemoryHigh = max(baseline-based 512 MiB, -Xmx 512 + 1.25 × 88 = 622) → 624 MiB; MemoryMax = 624 + 156 = 784
        Recommendation sd = find(rs, "systemd:");
        assertEquals("systemd: MemoryHigh=624M, MemoryMax=784M", sd.title());
        assertTrue(sd.detail().contains("-Xmx (512.0 MiB) + 1.25 × native memory at the baseline (88.0 MiB)"), sd.detail());
        assertEquals("-XX:MaxRAMPercentage=65", find(rs, "-XX:MaxRAMPercentage").command()); // 512/784
    }

    @Test
    void restartComesBeforeTheHeapReachesXmx() {
        FindingsBuilder b = leaking();
        Growth.SignalFit rss = b.growth.signals().get(0);
        Growth.TimeToLimit xmx = new Growth.TimeToLimit(512 * MIB, "-Xmx", 600.0, 900.0, null, null, null, "10 to 15 min");
        Growth.SignalFit heap = new Growth.SignalFit("jvm.heap.after_gc", "bytes", "values", Verdict.LEAK, 2.0 * MIB,
                1.5 * MIB, 2.5 * MIB, 0.1 * MIB, 1e-9, 0.98, 170, rss.warmupEndMs(), 490.0 * MIB, null, null, xmx, "heap grows");
        b.growth = new Growth(List.of(rss, heap), List.of(), null);
        new AdviceStage().apply(b);
        Recommendation restart = find(b.recommendations, "Restart above");
        // 80% of the 10 minutes until -Xmx: every 8 minutes, not the 31 the resident size alone would allow
        assertTrue(restart.command().startsWith("RuntimeMaxSec=480"), restart.command());
        assertTrue(restart.detail().contains("the first limit (-Xmx, 512.0 MiB) is reached in 10 m 0 s"), restart.detail());
    }

    @Test
    void pressureSeenDuringTheCaptureIsReported() {
        FindingsBuilder b = leaking();
        long[] t = b.series.get("process.rss").timeMs();
        double[] psi = new double[t.length];
        double[] high = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            psi[i] = i > 100 ? 12.5 : 0;
            high[i] = i > 120 ? 40 : 3;
        }
        b.add(new Series("psi.memory.full.avg10", "PSI", "percent", "psi", "context", null, t, psi));
        b.add(new Series("cgroup.events.high", "high", "count", "cgroup", "context", null, t, high));
        new AdviceStage().apply(b);
        Recommendation p = find(b.recommendations, "Memory pressure");
        assertTrue(p.detail().contains("12.5%") && p.detail().contains("rose by 37"), p.detail());
    }

    @Test
    void withoutAResidentSeriesThereAreNoLimitsButStillFlags() {
        FindingsBuilder b = leaking();
        b.series.clear();
        new AdviceStage().apply(b);
        assertFalse(b.recommendations.stream().anyMatch(r -> "containment".equals(r.kind())));
        find(b.recommendations, "-XX:+ExitOnOutOfMemoryError");
    }
}
