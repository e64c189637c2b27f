package io.leakscope.advice;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.Stage;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.JvmInfo;
import io.leakscope.findings.Limits;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.findings.Target;
import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns the measurements into what to do now: limits for systemd, Docker and Kubernetes, a planned restart,
 * JVM flags, and where to look in the code. Every number comes from the capture: the resident baseline after
 * warm-up, the peak, the growth slope's upper bound and the limits in force. Runs after the verdict.
 * The formulas are documented in docs/report.md ("Recommendations").
 */
public final class AdviceStage implements Stage {
    static final long MIB = 1024L * 1024;
    /** Normal fluctuation allowed above the baseline before throttling: a quarter of it, at least this. */
    static final double HEADROOM_SHARE = 0.25;
    static final long MIN_HEADROOM = 64 * MIB;
    /** Time a leaking process should be able to run throttled at MemoryHigh before the OOM kill. */
    static final double THROTTLED_MINUTES = 15;
    /** Restart when this share of the headroom is used, so the restart comes before throttling. */
    static final double RESTART_SHARE = 0.8;
    /** Series that measure the resident size of the whole target, most direct first. */
    static final List<String> RESIDENT_IDS = List.of("process.rss", "jvm.rss", "cgroup.usage", "memray.rss");

    @Override
    public void apply(FindingsBuilder b) {
        List<Recommendation> out = new ArrayList<>();
        Resident r = resident(b);
        if (r != null) {
            containment(b, r, out);
        }
        jvmFlags(b, r, out);
        codeLeads(b, out);
        b.recommendations.addAll(out);
    }

    /**
     * What the resident size looked like: baseline after warm-up (median of the first tenth of the samples
     * after the cut, at least 3), peak, and the growth slope with its upper bound when the verdict says it grows.
     */
    record Resident(Series series, double baseline, double peak, Double slope, Double slopeHigh, Verdict verdict,
                    Growth.TimeToLimit timeToLimit, Double plateau, Double nonHeap, Long maxHeap) {
        /**
         * baseline + headroom. A leak's peak is the leak's doing, so a leaking process is sized from its
         * baseline; a stable or saturating process's peak is its real working set, so it is sized from that.
         */
        long memoryHigh() {
            double normal = verdict == Verdict.LEAK ? baseline : Math.max(baseline, peak);
            if (verdict == Verdict.SATURATING && plateau != null) {
                normal = Math.max(normal, plateau); // room for the cache to fill up to where it levels off
            }
            if (jvmCeiling() != null) {
                // a JVM may fill its heap to -Xmx without leaking: the heap's own limit (an OutOfMemoryError)
                // must come before the kernel's
                return roundUp(Math.max(normal + Math.max(HEADROOM_SHARE * normal, MIN_HEADROOM), jvmCeiling()));
            }
            return roundUp(normal + Math.max(HEADROOM_SHARE * normal, MIN_HEADROOM));
        }

        /** -Xmx + the native memory measured at the baseline + a quarter of it; null when not a JVM or unknown. */
        Double jvmCeiling() {
            return maxHeap != null && nonHeap != null ? maxHeap + nonHeap * (1 + HEADROOM_SHARE) : null;
        }

        /**
         * MemoryHigh + room to run throttled for a while at the upper growth bound: at least a quarter of
         * MemoryHigh, at most as much again (a leak so fast that it needs more is stopped, not accommodated).
         */
        long memoryMax() {
            long high = memoryHigh();
            double growth = slopeHigh != null ? slopeHigh * THROTTLED_MINUTES : 0;
            return roundUp(high + Math.min(high, Math.max(HEADROOM_SHARE * high, growth)));
        }
    }

    static Resident resident(FindingsBuilder b) {
        Series s = null;
        for (String id : RESIDENT_IDS) {
            Series c = b.series.get(id);
            if (c != null && finiteCount(c.values()) >= 2) {
                s = c;
                break;
            }
        }
        if (s == null) {
            return null;
        }
        Growth.SignalFit fit = fitOf(b.growth, s.id());
        long cut = fit != null && fit.warmupEndMs() != null ? fit.warmupEndMs() : s.timeMs()[0];
        double[] after = valuesFrom(s, cut);
        if (after.length == 0) {
            after = valuesFrom(s, Long.MIN_VALUE);
        }
        int head = Math.max(3, after.length / 10);
        double baseline = median(Arrays.copyOf(after, Math.min(head, after.length)));
        double peak = Arrays.stream(s.values()).filter(Double::isFinite).max().orElse(baseline);
        Double slope = null;
        Double slopeHigh = null;
        Verdict v = fit != null ? fit.verdict() : null;
        if (fit == null) {
            // The resident series was not fitted: the leak shows in another signal (heap, a native category);
            // its slope adds to the resident size as well.
            fit = fastestGrowingBytesFit(b);
        }
        if (fit != null && (fit.verdict() == Verdict.LEAK || fit.verdict() == Verdict.SATURATING)
                && fit.slopePerMinute() != null && fit.slopePerMinute() > 0) {
            slope = fit.slopePerMinute();
            slopeHigh = fit.slopeHigh() != null && fit.slopeHigh() > slope ? fit.slopeHigh() : slope;
            v = fit.verdict();
        }
        Double plateau = fit != null && fit.verdict() == Verdict.SATURATING && s.id().equals(fit.seriesId()) ? fit.plateau() : null;
        Long maxHeap = maxHeap(b);
        Double nonHeap = maxHeap != null ? nonHeapAtBaseline(b, baseline, cut) : null;
        return new Resident(s, baseline, peak, slope, slopeHigh, v, fit != null ? fit.timeToLimit() : null, plateau,
                nonHeap, maxHeap);
    }

    static Long maxHeap(FindingsBuilder b) {
        JvmInfo jvm = b.target != null ? b.target.jvm() : null;
        return jvm != null && jvm.maxHeapBytes() != null ? jvm.maxHeapBytes() : b.limits.maxHeapBytes();
    }

    /**
     * Native (non-heap) memory of a JVM at the baseline: NMT's committed total minus its Java Heap, or else the
     * resident baseline minus the heap in use, over the same first tenth after the warm-up cut; at least 32 MiB.
     */
    static Double nonHeapAtBaseline(FindingsBuilder b, double baseline, long cut) {
        Series total = b.series.get("nmt.total.committed");
        Series heap = b.series.get("nmt.Java_Heap.committed");
        if (total != null && heap != null && total.size() == heap.size() && total.size() > 0) {
            double[] d = new double[total.size()];
            int n = 0;
            for (int i = 0; i < total.size(); i++) {
                if (total.timeMs()[i] >= cut && Double.isFinite(total.values()[i]) && Double.isFinite(heap.values()[i])) {
                    d[n++] = total.values()[i] - heap.values()[i];
                }
            }
            if (n > 0) {
                return Math.max(32.0 * MIB, median(Arrays.copyOf(d, Math.min(n, Math.max(3, n / 10)))));
            }
        }
        for (String id : List.of("jvm.heap.used", "jvm.heap.after_gc")) {
            Series h = b.series.get(id);
            if (h != null) {
                double[] v = valuesFrom(h, cut);
                if (v.length > 0) {
                    double used = median(Arrays.copyOf(v, Math.min(v.length, Math.max(3, v.length / 10))));
                    return Math.max(32.0 * MIB, baseline - used);
                }
            }
        }
        return null;
    }

    private static void containment(FindingsBuilder b, Resident r, List<Recommendation> out) {
        Limits lim = b.limits;
        boolean leaking = r.verdict() == Verdict.LEAK;
        long high = r.memoryHigh();
        long max = r.memoryMax();
        String basis = "baseline " + Units.formatBytes(r.baseline()) + " (" + r.series().id() + " after warm-up), peak "
                + Units.formatBytes(r.peak())
                + (r.slope() != null ? ", growth " + rate(r.slope()) + " (upper bound " + rate(r.slopeHigh()) + ")"
                : r.verdict() == Verdict.STABLE ? ", no significant growth"
                : ", growth not established (capture longer to get a rate)");
        Double ceiling = r.jvmCeiling();
        String sized = ceiling != null && roundUp(ceiling) == high
                ? "MemoryHigh = -Xmx (" + Units.formatBytes(r.maxHeap()) + ") + 1.25 × native memory at the baseline ("
                        + Units.formatBytes(r.nonHeap()) + ") = " + mib(high) + "M, so that the heap reaches -Xmx (an OutOfMemoryError) before the kernel's limit"
                : leaking ? "MemoryHigh = baseline + max(25%, 64 MiB) = " + mib(high) + "M"
                : r.plateau() != null && r.plateau() > r.peak()
                ? "MemoryHigh = plateau (" + Units.formatBytes(r.plateau()) + ") + max(25%, 64 MiB) = " + mib(high) + "M"
                : "MemoryHigh = peak + max(25%, 64 MiB) = " + mib(high) + "M";
        String maxWhy = r.slopeHigh() != null
                ? "MemoryMax = MemoryHigh + " + (int) THROTTLED_MINUTES + " min of growth at the upper bound, within 25–100% of MemoryHigh, = " + mib(max) + "M"
                : "MemoryMax = MemoryHigh + 25% = " + mib(max) + "M";
        String hostWarn = "";
        if (lim.memTotalBytes() != null && max > lim.memTotalBytes()) {
            hostWarn = " This is more than the host's RAM (" + Units.formatBytes(lim.memTotalBytes())
                    + "): the process does not fit this host.";
        } else if (lim.cgroupMaxBytes() != null && lim.cgroupMaxBytes() < max) {
            hostWarn = " The current cgroup limit (" + Units.formatBytes(lim.cgroupMaxBytes())
                    + ") is below this: expect OOM kills in normal operation.";
        }
        out.add(new Recommendation("containment", "systemd: MemoryHigh=" + mib(high) + "M, MemoryMax=" + mib(max) + "M",
                basis + ". " + sized + ": throttling and reclaim start there, never an OOM kill. " + maxWhy
                        + ": the kernel OOM-kills inside this unit only." + hostWarn,
                "systemctl set-property UNIT.service MemoryHigh=" + mib(high) + "M MemoryMax=" + mib(max)
                        + "M MemorySwapMax=0"));
        out.add(new Recommendation("containment", "Docker: --memory=" + mib(max) + "m --memory-reservation=" + mib(high) + "m",
                "The same numbers as the systemd limits; --memory-swap equal to --memory keeps a leak from swapping.",
                "docker run --memory=" + mib(max) + "m --memory-reservation=" + mib(high) + "m --memory-swap="
                        + mib(max) + "m --restart=on-failure IMAGE"));
        out.add(new Recommendation("containment", "Kubernetes: requests.memory " + mib(high) + "Mi, limits.memory " + mib(max) + "Mi",
                "requests = MemoryHigh (what the scheduler reserves), limits = MemoryMax (the container's memory.max)",
                "resources: {requests: {memory: \"" + mib(high) + "Mi\"}, limits: {memory: \"" + mib(max) + "Mi\"}}"));
        if (r.slopeHigh() != null && leaking) {
            long threshold = roundUp(r.baseline() + RESTART_SHARE * (high - r.baseline()));
            double toThresholdMin = (threshold - r.baseline()) / r.slopeHigh();
            double everyMin = toThresholdMin;
            String ttl = "";
            Growth.TimeToLimit first = earliestLimit(b, r);
            if (first != null) {
                everyMin = Math.min(everyMin, RESTART_SHARE * first.earliestSecs() / 60);
                ttl = "; the first limit (" + first.limitSource() + ", "
                        + Units.formatBytes(first.limitBytes()) + ") is reached in "
                        + Units.formatDuration(first.earliestSecs()) + " at the earliest";
            }
            long everySec = Math.max(60, (long) Math.floor(everyMin) * 60); // whole minutes
            out.add(new Recommendation("containment", "Restart above " + mib(threshold) + " MiB resident, or every "
                    + Units.formatDuration(everySec),
                    "Until the leak is fixed, restart in a planned way before throttling starts: threshold = baseline + "
                            + Math.round(RESTART_SHARE * 100) + "% of the headroom to MemoryHigh; at the upper growth bound ("
                            + rate(r.slopeHigh()) + ") it is reached after " + Units.formatDuration(toThresholdMin * 60) + ttl + ".",
                    "RuntimeMaxSec=" + everySec + "   # or monit: if totalmem > " + mib(threshold) + " MB for 3 cycles then restart"));
        }
        pressure(b, out);
    }

    /** The limit any leaking signal reaches first (the heap's -Xmx may come before the resident limit). */
    private static Growth.TimeToLimit earliestLimit(FindingsBuilder b, Resident r) {
        Growth.TimeToLimit first = r.timeToLimit() != null && r.timeToLimit().earliestSecs() != null ? r.timeToLimit() : null;
        for (Growth.SignalFit f : b.growth.signals()) {
            Growth.TimeToLimit t = f.timeToLimit();
            if (f.verdict() == Verdict.LEAK && t != null && t.earliestSecs() != null
                    && (first == null || t.earliestSecs() < first.earliestSecs())) {
                first = t;
            }
        }
        return first;
    }

    /** PSI and memory.events seen during the capture: the process was already stalling or being throttled. */
    private static void pressure(FindingsBuilder b, List<Recommendation> out) {
        double fullMax = max(b.series.get("psi.memory.full.avg10"));
        double highEvents = increase(b.series.get("cgroup.events.high"));
        double oomKills = increase(b.series.get("cgroup.events.oom_kill"));
        List<String> seen = new ArrayList<>();
        if (fullMax >= 1) {
            seen.add(String.format(Locale.ROOT, "memory PSI full avg10 reached %.1f%%", fullMax));
        }
        if (highEvents > 0) {
            seen.add(String.format(Locale.ROOT, "memory.events high rose by %.0f (throttled at memory.high)", highEvents));
        }
        if (oomKills > 0) {
            seen.add(String.format(Locale.ROOT, "memory.events oom_kill rose by %.0f", oomKills));
        }
        if (!seen.isEmpty()) {
            out.add(new Recommendation("containment", "Memory pressure during the capture: let systemd-oomd act on it",
                    String.join("; ", seen) + ". Kill on sustained pressure instead of freezing in reclaim.",
                    "ManagedOOMMemoryPressure=kill ManagedOOMMemoryPressureLimit=50%"));
        }
    }

    private static void jvmFlags(FindingsBuilder b, Resident r, List<Recommendation> out) {
        Target t = b.target;
        JvmInfo jvm = t != null ? t.jvm() : null;
        if (jvm == null) {
            return;
        }
        List<String> flags = jvm.flags();
        Long maxHeap = maxHeap(b);
        if (r != null && maxHeap != null) {
            long max = r.memoryMax();
            // Keep the heap the process has now, expressed against the new limit, so that the limit change does
            // not resize the heap; cap it so that native memory keeps at least a quarter.
            int pct = (int) Math.max(1, Math.min(75, Math.floor(100.0 * maxHeap / max)));
            out.add(new Recommendation("jvm-flag", "-XX:MaxRAMPercentage=" + pct,
                    "Sizes the heap from the container limit: -Xmx now " + Units.formatBytes(maxHeap) + " of MemoryMax "
                            + mib(max) + " MiB = " + pct + "% (at most 75%, leaving native memory room)."
                            + (flags.stream().anyMatch(f -> f.startsWith("-Xmx")) ? " Drop -Xmx, or it wins over the percentage." : ""),
                    "-XX:MaxRAMPercentage=" + pct));
        }
        if (flags.stream().noneMatch(f -> f.contains("ExitOnOutOfMemoryError") || f.contains("CrashOnOutOfMemoryError"))) {
            out.add(new Recommendation("jvm-flag", "-XX:+ExitOnOutOfMemoryError",
                    "Not set now. A JVM past an OutOfMemoryError is in an unknown state: exit and let the supervisor restart it.",
                    "-XX:+ExitOnOutOfMemoryError"));
        }
        if (flags.stream().noneMatch(f -> f.contains("HeapDumpOnOutOfMemoryError"))) {
            String size = maxHeap != null ? " (up to " + Units.formatBytes(maxHeap) + " of disk: the heap's size)" : "";
            out.add(new Recommendation("jvm-flag", "-XX:+HeapDumpOnOutOfMemoryError",
                    "Not set now. Keeps the evidence at the moment of failure" + size
                            + "; 'leakscope analyze' names the retained subtree from it.",
                    "-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/var/tmp/"));
        }
        String nmt = b.nativeMemory.nmtMode() != null ? b.nativeMemory.nmtMode() : jvm.nmtMode();
        boolean nativeGrows = r != null && r.slope() != null && !heapExplainsGrowth(b);
        if (nmt == null || "off".equals(nmt)) {
            out.add(new Recommendation("jvm-flag", "-XX:NativeMemoryTracking=summary",
                    "NMT was off in this capture" + (nativeGrows ? " and the heap does not explain the resident growth" : "")
                            + ": with it, the next capture names the native category that grows (summary mode costs little).",
                    "-XX:NativeMemoryTracking=summary"));
        }
    }

    private static boolean heapExplainsGrowth(FindingsBuilder b) {
        return !b.heap.growing().isEmpty();
    }

    /** A soft cache that grows ({@link Heap#softCacheGrowth}): what to do about it. */
    private static void softCacheGrowth(FindingsBuilder b, List<Recommendation> out) {
        long[] grew = b.heap.softCacheGrowth();
        if (grew == null) {
            return;
        }
        Heap.DumpSummary last = b.heap.newestDump();
        out.add(new Recommendation("code", "A soft cache grows: " + Units.formatBytes(grew[0]) + " → "
                + Units.formatBytes(grew[1]) + " held only through SoftReferences",
                "Across the " + b.heap.dumps().size() + " heap dumps what only SoftReferences hold grew in every"
                        + " interval, to " + Math.round(100.0 * grew[1] / (grew[1] + last.reachableBytes()))
                        + "% of what the newest holds. The heap analysis leaves it out (a soft reference holds nothing"
                        + " for the GC), but the JVM clears it only when its heap runs short, so the heap, and the"
                        + " process, grow to -Xmx first. Bound the cache (a maximum size, an expiry), or let the JVM"
                        + " clear softly held objects sooner: -XX:SoftRefLRUPolicyMSPerMB (1000 ms per free MB by"
                        + " default)." + (last.softlyHeldPath() == null ? "" : " Where most of it is held in the newest"
                        + " dump: " + String.join(" → ", last.softlyHeldPath()) + " (and its like at other array"
                        + " indexes)."), null));
    }

    /** Where to look in the code: the growing path, the top suspect, the top native site, the top attribution. */
    private static void codeLeads(FindingsBuilder b, List<Recommendation> out) {
        if (!b.heap.growing().isEmpty()) {
            Heap.GrowingPath g = b.heap.growing().get(0);
            String rate = g.bytesPerMinute() != null ? rate(g.bytesPerMinute())
                    : Units.formatBytes(g.bytesPerDump()) + " per dump";
            List<String> path = g.pathFromRoot() == null ? List.of() : g.pathFromRoot();
            String where = path.size() >= 2 ? String.join(" → ", path.subList(path.size() - 2, path.size()))
                    : g.accumulationPoint() != null ? g.accumulationPoint() : g.signature();
            out.add(new Recommendation("code", "Growing: " + where,
                    "Retained size grows " + rate + " along " + String.join(" → ", path)
                            + (g.accumulationPoint() != null ? "; it accumulates in " + g.accumulationPoint() : "")
                            + ". Bound or evict what accumulates there.", null));
        }
        softCacheGrowth(b, out);
        if (!b.heap.suspects().isEmpty()) {
            Heap.LeakSuspect s = b.heap.suspects().get(0);
            // the heap engine's description already names the share and the accumulation point
            out.add(new Recommendation("code", "Leak suspect: " + s.className() + (s.heldBy() != null ? ", " + s.heldBy() : ""),
                    s.description() + (s.pathFromRoot() != null && !s.pathFromRoot().isEmpty()
                            ? " Path from a GC root: " + String.join(" → ", s.pathFromRoot()) + "." : ""), null));
        }
        NativeMemory n = b.nativeMemory;
        if (!n.leakSites().isEmpty()) {
            NativeMemory.LeakSite site = n.leakSites().get(0);
            String top = site.frames().isEmpty() ? "(no frames)" : site.frames().get(0);
            out.add(new Recommendation("code", "Native allocations not freed: " + top,
                    Units.formatBytes(site.bytes()) + " in " + site.allocations() + " allocations still held at the end"
                            + (site.frames().size() > 1 ? ", called from " + String.join(" ← ", site.frames().subList(1, Math.min(4, site.frames().size()))) : "")
                            + ".", null));
        }
        for (Growth.Attribution a : b.growth.attribution()) {
            if (!"unexplained".equals(a.part()) && a.share() >= 0.2) {
                out.add(new Recommendation("code", "Most of the growth: " + (a.label() != null ? a.label() : a.part()),
                        Math.round(a.share() * 100) + "% of the growth of " + a.total() + " (" + rate(a.slopePerMinute()) + ").",
                        null));
                break;
            }
        }
    }

    static Growth.SignalFit fitOf(Growth g, String seriesId) {
        for (Growth.SignalFit f : g.signals()) {
            if (seriesId.equals(f.seriesId())) {
                return f;
            }
        }
        return null;
    }

    private static Growth.SignalFit fastestGrowingBytesFit(FindingsBuilder b) {
        Growth.SignalFit best = null;
        for (Growth.SignalFit f : b.growth.signals()) {
            Series s = b.series.get(f.seriesId());
            if (s == null || !"bytes".equals(s.unit()) || !"total".equals(s.role()) || f.slopePerMinute() == null) {
                continue;
            }
            if (f.verdict() == Verdict.LEAK && (best == null || f.slopePerMinute() > best.slopePerMinute())) {
                best = f;
            }
        }
        return best;
    }

    private static double[] valuesFrom(Series s, long fromMs) {
        double[] v = new double[s.size()];
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.timeMs()[i] >= fromMs && Double.isFinite(s.values()[i])) {
                v[n++] = s.values()[i];
            }
        }
        return Arrays.copyOf(v, n);
    }

    private static int finiteCount(double[] v) {
        int n = 0;
        for (double d : v) {
            if (Double.isFinite(d)) {
                n++;
            }
        }
        return n;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static double max(Series s) {
        if (s == null) {
            return Double.NaN;
        }
        return Arrays.stream(s.values()).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** How much a counter rose over the capture (last minus first finite value). */
    private static double increase(Series s) {
        if (s == null) {
            return 0;
        }
        double[] v = Arrays.stream(s.values()).filter(Double::isFinite).toArray();
        return v.length < 2 ? 0 : v[v.length - 1] - v[0];
    }

    /** Rounds up to 16 MiB so that the settings read as plain numbers. */
    static long roundUp(double bytes) {
        long step = 16 * MIB;
        return (long) Math.ceil(bytes / step) * step;
    }

    static long mib(long bytes) {
        return bytes / MIB;
    }

    private static String rate(double bytesPerMinute) {
        return Units.formatBytes(bytesPerMinute) + "/min";
    }
}
