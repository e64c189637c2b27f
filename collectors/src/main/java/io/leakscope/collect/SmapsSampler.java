package io.leakscope.collect;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.findings.Note;
import io.leakscope.smaps.Smaps;
import io.leakscope.smaps.SmapsSeries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The full /proc/PID/smaps, summed per region into {@code series/smaps.csv}: which kind of mapping grows
 * ([heap], anonymous arenas, a file). Reading smaps walks every mapping under the target's mmap lock, which
 * costs far more than smaps_rollup for a process with thousands of mappings (a JVM has 1,000+), so it runs
 * every K-th interval, K chosen from the measured cost to keep it under {@link #BUDGET} of the wall time.
 */
final class SmapsSampler implements Collector {
    static final double BUDGET = 0.01;

    private final SmapsSeries series = new SmapsSeries();
    private long every = 1;
    private long lastCostNanos;
    private long totalCostNanos;
    private boolean readable = true;

    @Override
    public String name() {
        return "smaps";
    }

    @Override
    public void start(CaptureContext ctx) {
    }

    @Override
    public void first(CaptureContext ctx) {
        read(ctx);
    }

    @Override
    public void sample(CaptureContext ctx, long tick) throws IOException {
        if (readable && (tick + 1) % every == 0) {
            read(ctx);
        }
    }

    private void read(CaptureContext ctx) {
        long t0 = System.nanoTime();
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(ctx.pid()), "smaps"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            readable = false; // gone, or not permitted: the rollup series still cover the process
            return;
        }
        Map<String, Long> regions = Smaps.rssByRegion(text);
        series.add(System.currentTimeMillis(), regions);
        lastCostNanos = System.nanoTime() - t0;
        totalCostNanos += lastCostNanos;
        long intervalNanos = ctx.interval().toNanos();
        every = Math.max(1, (long) Math.ceil(lastCostNanos / (BUDGET * intervalNanos)));
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        if (series.size() < 2) {
            return;
        }
        Path csv = ctx.bundle().file("series", "smaps.csv");
        series.write(csv, "smaps");
        ctx.bundle().add(csv, ArtifactKind.SERIES, Map.of("source", "smaps"));
        ctx.bundle().note(Note.info("smaps", String.format(
                "full smaps read %d times (every %d interval(s) at the end; last read %.1f ms, %.1f ms in all)",
                series.size(), every, lastCostNanos / 1e6, totalCostNanos / 1e6)));
    }
}
