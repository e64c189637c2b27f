package io.leakscope.collect.jvm;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.collect.CaptureContext;
import io.leakscope.collect.Collector;
import io.leakscope.findings.Note;
import io.leakscope.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Class histograms at the start and the end (and every {@code histogramEvery} intervals if asked) and
 * {@code heapDumps} heap dumps of live objects spread over the capture, the first after a warm-up of at least
 * one interval. Each one is a full GC in the target: the time the call took is recorded as an event with the
 * pause, and on the artifact.
 */
public final class HeapCollector implements Collector {
    private final JvmSession session;
    private final int heapDumps;
    private final boolean compress;
    private final int histogramEvery;
    private final List<Instant> dumpTimes = new ArrayList<>();
    private int histograms;
    private int dumps;

    /**
     * @param heapDumps      heap dumps to take
     * @param histogramEvery a histogram every this many intervals besides start and end; 0 for none
     */
    public HeapCollector(JvmSession session, int heapDumps, boolean compress, int histogramEvery) {
        this.compress = compress;
        this.session = session;
        this.heapDumps = heapDumps;
        this.histogramEvery = histogramEvery;
    }

    @Override
    public String name() {
        return "heap";
    }

    /** Dump i of n at (i+1)/(n+1) of the capture, but never before the first interval has passed. */
    static List<Instant> dumpTimes(Instant start, java.time.Duration capture, java.time.Duration interval, int n) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.time.Duration at = capture.multipliedBy(i + 1).dividedBy(n + 1);
            out.add(start.plus(at.compareTo(interval) < 0 ? interval : at));
        }
        return out;
    }

    @Override
    public void start(CaptureContext ctx) throws IOException {
        dumpTimes.addAll(dumpTimes(ctx.start(), ctx.duration(), ctx.interval(), heapDumps));
        histogram(ctx, "start");
    }

    @Override
    public void sample(CaptureContext ctx, long tick) throws IOException {
        if (dumps < heapDumps && !Instant.now().isBefore(dumpTimes.get(dumps))) {
            heapDump(ctx);
        }
        if (histogramEvery > 0 && tick > 0 && tick % histogramEvery == 0) {
            histogram(ctx, "interval");
        }
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        if (!ctx.procFs().alive(ctx.pid())) {
            ctx.bundle().note(Note.info("heap", "no end-of-capture histogram: the target had exited"));
            return;
        }
        if (dumps < heapDumps) {
            ctx.bundle().note(Note.info("heap", dumps + " of " + heapDumps + " heap dumps taken before the capture ended ("
                    + reason + ")"));
        }
        histogram(ctx, "end");
    }

    private void histogram(CaptureContext ctx, String when) throws IOException {
        long t0 = System.nanoTime();
        long at = System.currentTimeMillis();
        String text = session.jvm().dcmd("gcClassHistogram");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Path f = ctx.bundle().file("heap", String.format("histogram-%02d-%s.txt", histograms++, when));
        AtomicFiles.write(f, text.getBytes(StandardCharsets.UTF_8));
        ctx.bundle().add(f, ArtifactKind.HISTOGRAM, Map.of("timeMs", Long.toString(at), "when", when,
                "callMs", Long.toString(ms)));
        ctx.bundle().event("histogram", ms, "GC.class_histogram (" + when + "): a full GC in the target (the time is"
                + " the call's)");
    }

    private void heapDump(CaptureContext ctx) throws IOException {
        String name = String.format("dump-%02d.hprof", ++dumps);
        Path target = session.targetPath("heap", name);
        long t0 = System.nanoTime();
        long at = System.currentTimeMillis();
        String how = session.jvm().dumpHeap(target);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // recorded as the call ends: the analysis finds the target's stop in its JFR recording by that time
        ctx.bundle().event("heap-dump", ms, "heap dump of live objects, " + how + ": a full GC and a stop of the"
                + " target while it writes (the time is the call's)");
        Path f = session.collect(target, "heap", name);
        if (compress) {
            // GC.heap_dump -gz is not exported over the DiagnosticCommand MBean, so we compress, after the target
            // has resumed: its pause stays the same, the bundle gets smaller. In HotSpot's own -gz format
            // (independent 1 MiB blocks at the fastest level), on two threads, which the analyzer reads in parts
            long c0 = System.nanoTime();
            Path gz = ctx.bundle().file("heap", name + ".gz");
            Path plain = f;
            io.leakscope.io.AtomicFiles.write(gz, out -> {
                try (java.io.InputStream in = Files.newInputStream(plain)) {
                    io.leakscope.heap.GzipBlocks.write(in, out, 2);
                }
            });
            ctx.bundle().event("heap-dump-compressed", (System.nanoTime() - c0) / 1_000_000, name + ": "
                    + Files.size(plain) + " → " + Files.size(gz) + " bytes, in leakscope");
            Files.delete(plain);
            f = gz;
        }
        ctx.bundle().add(f, ArtifactKind.HPROF, Map.of("timeMs", Long.toString(at), "live", "true",
                "callMs", Long.toString(ms), "compressed", Boolean.toString(compress)));
    }
}
