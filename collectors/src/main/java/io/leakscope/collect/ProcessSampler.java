package io.leakscope.collect;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.bundle.SeriesCsv.Column;
import io.leakscope.findings.Note;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The process's view of its memory, for any process: every interval /proc/PID/status and smaps_rollup
 * (RSS split into anon/file/shmem, swap, threads), the memory cgroup's usage and events, and memory PSI,
 * into series/process.csv. Reads /proc only, so the target is not slowed.
 */
public final class ProcessSampler implements Collector {
    static final List<Column> COLUMNS = List.of(
            Column.total("process.rss", "bytes"),
            Column.part("process.anon", "bytes", "process.rss"),
            Column.part("process.file", "bytes", "process.rss"),
            Column.part("process.shmem", "bytes", "process.rss"),
            Column.total("process.swap", "bytes"),
            Column.total("process.pss", "bytes"),
            Column.total("process.threads", "count"),
            // Context, not a total: the group usually holds other processes and page cache, so its growth is
            // not the target's; the limit it has is applied to the target's own series instead.
            Column.context("cgroup.usage", "bytes"),
            Column.context("cgroup.events.high", "count"),
            Column.context("cgroup.events.max", "count"),
            Column.context("cgroup.events.oom_kill", "count"),
            Column.context("psi.memory.some.avg10", "percent"),
            Column.context("psi.memory.full.avg10", "percent"));

    private SeriesCsv.Writer out;
    private Path file;
    private boolean cgroupReadable = true;

    @Override
    public String name() {
        return "process";
    }

    @Override
    public void start(CaptureContext ctx) throws IOException {
        file = ctx.bundle().file("series", "process.csv");
        out = new SeriesCsv.Writer(file, COLUMNS);
    }

    @Override
    public void first(CaptureContext ctx) throws IOException {
        sample(ctx, -1);
    }

    @Override
    public void sample(CaptureContext ctx, long tick) throws IOException {
        ProcFs fs = ctx.procFs();
        long pid = ctx.pid();
        Map<String, Long> status = fs.status(pid);
        Map<String, Long> rollup;
        try {
            rollup = fs.smapsRollup(pid);
        } catch (java.nio.file.AccessDeniedException e) {
            rollup = Map.of();
        }
        double[] v = new double[COLUMNS.size()];
        java.util.Arrays.fill(v, Double.NaN);
        v[0] = num(status.get("VmRSS"));
        v[1] = num(status.get("RssAnon"));
        v[2] = num(status.get("RssFile"));
        v[3] = num(status.get("RssShmem"));
        v[4] = num(status.get("VmSwap"));
        v[5] = num(rollup.get("Pss"));
        v[6] = num(status.get("Threads"));
        if (cgroupReadable) {
            try {
                ProcFs.Cgroup cg = fs.cgroup(pid);
                if (cg != null) {
                    v[7] = num(cg.usage());
                    v[8] = num(cg.events().get("high"));
                    v[9] = num(cg.events().get("max"));
                    v[10] = num(cg.events().getOrDefault("oom_kill", cg.events().get("oom_kill_disable") == null ? null : 0L));
                }
            } catch (IOException e) {
                cgroupReadable = false;
                ctx.bundle().note(Note.info("cgroup", "cgroup of PID " + pid + " not readable: " + e.getMessage()));
            }
        }
        Map<String, Double> psi = fs.memoryPressure();
        v[11] = psi.getOrDefault("some.avg10", Double.NaN);
        v[12] = psi.getOrDefault("full.avg10", Double.NaN);
        out.append(System.currentTimeMillis(), v);
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        if (out != null) {
            out.close();
            ctx.bundle().add(file, ArtifactKind.SERIES, Map.of("source", "proc"));
            out = null;
        }
    }

    private static double num(Long v) {
        return v == null ? Double.NaN : v;
    }
}
