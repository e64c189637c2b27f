package io.leakscope.collect;

import io.leakscope.bundle.BundleWriter;
import io.leakscope.collect.jvm.JvmCapture;
import io.leakscope.collect.jvm.JvmConnection;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Target;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code leakscope attach PID}: checks the PID, chooses the collectors for it, and prepares the capture.
 * Any process gets the /proc view; a JVM gets the JVM collectors on top.
 */
public final class Attach {
    /**
     * @param duration   how long to capture
     * @param interval   how often to sample
     * @param heapDumps  heap dumps to take (JVM only)
     * @param nativeMem  profile native allocations (JVM only)
     * @param alloc      profile Java allocations that stay live (JVM only)
     * @param children   sum the whole process tree (any process)
     */
    /** @param compressDumps gzip each heap dump into the bundle once the target has written it */
    public record Options(Duration duration, Duration interval, int heapDumps, boolean nativeMem, boolean alloc,
                          boolean children, boolean compressDumps) {
        public Options(Duration duration, Duration interval, int heapDumps, boolean nativeMem, boolean alloc,
                       boolean children) {
            this(duration, interval, heapDumps, nativeMem, alloc, children, false);
        }

        public Options {
            if (interval.isZero() || interval.isNegative()) {
                throw new InputException("--interval must be positive");
            }
            if (duration.compareTo(interval) < 0) {
                throw new InputException("--duration (" + io.leakscope.io.Units.formatDuration(duration.toMillis() / 1000.0)
                        + ") is shorter than --interval (" + io.leakscope.io.Units.formatDuration(interval.toMillis() / 1000.0) + ")");
            }
            if (heapDumps < 0) {
                throw new InputException("--heap-dumps must be 0 or more");
            }
        }
    }

    private Attach() {
    }

    /** Refuses a PID that is gone or whose memory we may not read, with one line naming it. */
    public static void checkPid(ProcFs fs, long pid) {
        if (pid <= 0 || !fs.alive(pid)) {
            throw new InputException("PID " + pid + ": no such process");
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new InputException("PID " + pid + ": that is leakscope itself");
        }
        try {
            fs.smapsRollup(pid);
        } catch (AccessDeniedException e) {
            String owner;
            try {
                owner = fs.user(pid);
            } catch (IOException ex) {
                owner = "another user";
            }
            if (owner.equals(System.getProperty("user.name"))) {
                // Same user and still refused: the kernel's ptrace access check said no, not file permissions.
                throw new InputException("PID " + pid + ": not permitted to read its memory although it runs as "
                        + owner + " like leakscope (the kernel's ptrace check refused: the process is not dumpable,"
                        + " or leakscope lacks CAP_SYS_PTRACE, or kernel.yama.ptrace_scope forbids it)");
            }
            throw new InputException("PID " + pid + ": not permitted to read its memory (it runs as " + owner
                    + "; run leakscope as that user or as root)");
        } catch (IOException e) {
            if (!fs.alive(pid)) {
                throw new InputException("PID " + pid + ": no such process");
            }
            throw new InputException("PID " + pid + ": cannot read /proc/" + pid + "/smaps_rollup (" + e.getMessage() + ")");
        }
    }

    /** Describes the target process from /proc. */
    public static Target processTarget(ProcFs fs, long pid) {
        String cmd = null;
        String start = null;
        String user = null;
        try {
            cmd = fs.cmdline(pid);
            start = fs.startTime(pid).toString();
            user = fs.user(pid);
        } catch (IOException | RuntimeException e) {
            // partial description is fine
        }
        return new Target(pid, "process", cmd, start, user, null);
    }

    /**
     * Prepares a capture of {@code pid} into a new bundle under {@code outDir}.
     */
    public static CaptureSession prepare(long pid, Path outDir, Options opt, PrintWriter log) throws IOException {
        ProcFs fs = ProcFs.system();
        checkPid(fs, pid);
        long t0 = System.nanoTime();
        JvmConnection jvm = JvmConnection.isJvm(Path.of("/proc"), pid) ? JvmConnection.open(pid) : null;
        long attachMs = (System.nanoTime() - t0) / 1_000_000;
        BundleWriter bundle;
        try {
            bundle = BundleWriter.create(outDir, BundleWriter.defaultName(pid), "leakscope");
        } catch (IOException | RuntimeException e) {
            if (jvm != null) {
                jvm.close();
            }
            throw e;
        }
        Target target = processTarget(fs, pid);
        List<Collector> collectors = new ArrayList<>();
        collectors.add(new ProcessSampler());
        collectors.add(new SmapsSampler());
        if (opt.children()) {
            collectors.add(new ProcessTreeSampler());
        }
        Long maxHeap = null;
        if (jvm != null) {
            JvmCapture capture;
            try {
                capture = JvmCapture.prepare(jvm, bundle, opt.heapDumps(), opt.compressDumps(), opt.nativeMem(), opt.alloc());
            } catch (IOException | RuntimeException e) {
                bundle.note(io.leakscope.findings.Note.warn("attach", "JVM capture not prepared: " + e.getMessage()));
                bundle.finish("error");
                throw e;
            }
            target = new Target(target.pid(), "jvm", target.commandLine(), target.startTime(), target.user(), capture.info());
            maxHeap = capture.info().maxHeapBytes();
            collectors.addAll(capture.collectors());
            bundle.event("attach", attachMs, "attached to " + capture.info().vmName() + " " + capture.info().version());
        } else if (opt.heapDumps() > 0 || opt.nativeMem() || opt.alloc()) {
            bundle.note(io.leakscope.findings.Note.info("attach", "PID " + pid + " is not a JVM:"
                    + " --heap-dumps, --native and --alloc do not apply; capturing its /proc view"));
        }
        Limits limits = fs.limits(pid, maxHeap);
        bundle.target(target).limits(limits);
        bundle.setting("heapDumps", Integer.toString(opt.heapDumps()));
        bundle.setting("native", Boolean.toString(opt.nativeMem()));
        bundle.setting("alloc", Boolean.toString(opt.alloc()));
        bundle.setting("children", Boolean.toString(opt.children()));
        CaptureContext ctx = new CaptureContext(pid, bundle, fs, opt.interval(), opt.duration(), Instant.now());
        return new CaptureSession(ctx, collectors, log);
    }
}
