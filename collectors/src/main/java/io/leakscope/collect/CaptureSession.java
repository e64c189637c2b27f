package io.leakscope.collect;

import io.leakscope.bundle.BundleWriter;
import io.leakscope.findings.Note;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one capture: starts the collectors, samples them every interval until the duration is over, the
 * user interrupts ({@link #requestStop}), or the target exits; then stops every started collector in reverse
 * order and finishes the bundle. Whatever ends the capture, the bundle is valid and says why it ended.
 */
public final class CaptureSession {
    private final CaptureContext ctx;
    private final List<Collector> collectors;
    private final PrintWriter log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean interrupted;

    public CaptureSession(CaptureContext ctx, List<Collector> collectors, PrintWriter log) {
        this.ctx = ctx;
        this.collectors = List.copyOf(collectors);
        this.log = log;
    }

    /** Ends the capture early and cleanly (Ctrl-C); returns at once. */
    public void requestStop() {
        interrupted = true;
        stop.countDown();
    }

    /** Waits until the capture has finished writing its bundle (for a shutdown hook). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the finished bundle's directory */
    public Path run() throws IOException {
        BundleWriter bundle = ctx.bundle();
        bundle.setting("duration", ctx.duration().toString());
        bundle.setting("interval", ctx.interval().toString());
        List<Collector> started = new ArrayList<>();
        String reason = "completed";
        try {
            for (Collector c : collectors) {
                try {
                    c.start(ctx);
                    started.add(c);
                } catch (IOException | RuntimeException e) {
                    if (!ctx.procFs().alive(ctx.pid())) {
                        reason = "target-exited";
                        break;
                    }
                    if (c instanceof ProcessSampler) {
                        throw e; // without the process view there is nothing to capture
                    }
                    bundle.note(Note.warn(c.name(), c.name() + " not captured: " + oneLine(e)));
                    log.println("leakscope: " + c.name() + " not captured: " + oneLine(e));
                }
            }
            if (!reason.equals("target-exited")) {
                for (Collector c : started) {
                    try {
                        c.first(ctx);
                    } catch (IOException | RuntimeException e) {
                        if (!ctx.procFs().alive(ctx.pid())) {
                            reason = "target-exited";
                            break;
                        }
                        bundle.note(Note.warn(c.name(), "first sample failed: " + oneLine(e)));
                    }
                }
            }
            bundle.checkpoint();
            if (!reason.equals("target-exited")) {
                reason = loop(started);
            }
        } catch (IOException | RuntimeException e) {
            reason = "error";
            bundle.note(Note.warn("capture", "capture ended by an error: " + oneLine(e)));
            throw e;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                Collector c = started.get(i);
                try {
                    c.stop(ctx, reason);
                } catch (IOException | RuntimeException e) {
                    bundle.note(Note.warn(c.name(), c.name() + " could not be stopped cleanly: " + oneLine(e)));
                }
            }
            if (reason.equals("target-exited")) {
                bundle.event("target-exit", null, "PID " + ctx.pid() + " exited during the capture");
            }
            try {
                Path dir = bundle.finish(reason);
                log.println("bundle: " + dir + " (" + reason + ")");
            } finally {
                done.countDown();
            }
        }
        return bundle.dir().resolveSibling(bundle.dir().getFileName().toString().replace(BundleWriter.PARTIAL, ""));
    }

    private String loop(List<Collector> started) throws IOException {
        Instant end = ctx.plannedEnd();
        long tick = 0;
        while (true) {
            long wait = Math.min(ctx.interval().toMillis(), Duration.between(Instant.now(), end).toMillis());
            if (wait > 0) {
                try {
                    if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                        return "interrupted";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
            if (interrupted) {
                return "interrupted";
            }
            if (!ctx.procFs().alive(ctx.pid())) {
                return "target-exited";
            }
            for (Collector c : started) {
                try {
                    c.sample(ctx, tick);
                } catch (IOException | RuntimeException e) {
                    if (!ctx.procFs().alive(ctx.pid())) {
                        return "target-exited";
                    }
                    ctx.bundle().note(Note.warn(c.name(), "sample " + tick + " failed: " + oneLine(e)));
                }
            }
            tick++;
            if (tick % 10 == 0) {
                ctx.bundle().checkpoint();
            }
            if (!Instant.now().isBefore(end)) {
                return "completed";
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
