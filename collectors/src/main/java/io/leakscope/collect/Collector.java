package io.leakscope.collect;

import java.io.IOException;

/**
 * One source of data during a capture (the process's /proc view, JFR, NMT, heap dumps, native profiling).
 * {@link CaptureSession} starts every collector, calls {@link #sample} each interval, and stops them in
 * reverse order whatever happens — also on Ctrl-C, an error, or the target exiting — so nothing of ours is
 * left running in the target.
 */
public interface Collector {
    /** A short name for messages and the manifest: "process", "jfr", "nmt", ... */
    String name();

    void start(CaptureContext ctx) throws IOException;

    /**
     * Takes the series' first point, once every collector has started. Not in {@link #start}: the JVM
     * collectors' start (JFR buffers, the start histogram's full GC, which makes G1 shrink the heap) moves
     * the process's memory, and a first point from before that is an outlier every later fit would inherit.
     */
    default void first(CaptureContext ctx) throws IOException {
    }

    /**
     * Called every interval.
     *
     * @param tick 0, 1, 2, ... (the first call comes one interval after start)
     */
    void sample(CaptureContext ctx, long tick) throws IOException;

    /**
     * Ends this collector's work and writes its artifacts into the bundle. Must not throw for a target that
     * is gone: record what could not be saved as a note instead.
     *
     * @param reason completed, interrupted, target-exited, or error
     */
    void stop(CaptureContext ctx, String reason) throws IOException;
}
