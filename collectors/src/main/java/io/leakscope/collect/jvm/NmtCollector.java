package io.leakscope.collect.jvm;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.collect.CaptureContext;
import io.leakscope.collect.Collector;
import io.leakscope.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Native Memory Tracking, when the target runs with it: a baseline and a summary at the start, then
 * {@code VM.native_memory summary.diff} every interval, each saved as text in nmt/ (the analyzer turns them
 * into nmt.* series). Only added when NMT is on; costs the target a walk of its NMT tables, no GC.
 */
public final class NmtCollector implements Collector {
    private final JvmSession session;
    private int count;

    public NmtCollector(JvmSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "nmt";
    }

    @Override
    public void start(CaptureContext ctx) throws IOException {
        long t0 = System.nanoTime();
        String summary = session.jvm().dcmd("vmNativeMemory", "summary");
        if (summary.contains("Native memory tracking is not enabled")) {
            throw new IOException("Native Memory Tracking is not enabled in PID " + ctx.pid());
        }
        save(ctx, summary, "summary");
        session.jvm().dcmd("vmNativeMemory", "baseline");
        ctx.bundle().event("nmt-baseline", (System.nanoTime() - t0) / 1_000_000, "NMT summary and baseline");
    }

    @Override
    public void sample(CaptureContext ctx, long tick) throws IOException {
        save(ctx, session.jvm().dcmd("vmNativeMemory", "summary.diff"), "summary.diff");
    }

    private void save(CaptureContext ctx, String text, String form) throws IOException {
        long now = System.currentTimeMillis();
        Path f = ctx.bundle().file("nmt", String.format("nmt-%04d.txt", count++));
        AtomicFiles.write(f, text.getBytes(StandardCharsets.UTF_8));
        ctx.bundle().add(f, ArtifactKind.NMT, Map.of("timeMs", Long.toString(now), "form", form));
    }

    @Override
    public void stop(CaptureContext ctx, String reason) {
        // nothing runs in the target between samples
    }
}
