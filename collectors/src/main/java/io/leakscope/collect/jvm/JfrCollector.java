package io.leakscope.collect.jvm;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.collect.CaptureContext;
import io.leakscope.collect.Collector;
import io.leakscope.findings.Note;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Our own named JFR recording in the target with leak-oriented settings ({@code leak.jfc}). The user's
 * recordings are never touched: we start, stop and dump only ours, by name. The recording is also set to
 * dump on exit, so a target that exits normally mid-capture still leaves its JFR file.
 */
public final class JfrCollector implements Collector {
    private final JvmSession session;
    private String name;
    private Path output;
    private long startedMs;

    public JfrCollector(JvmSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "jfr";
    }

    /**
     * How often jdk.ObjectCount runs. Each run is a full GC, so a sixth of the capture (at least the sampling
     * interval, at most 10 minutes): about six per-class snapshots whatever the length.
     */
    static Duration objectCountPeriod(Duration capture, Duration interval) {
        Duration p = capture.dividedBy(6);
        if (p.compareTo(interval) < 0) {
            p = interval;
        }
        if (p.compareTo(Duration.ofSeconds(1)) < 0) {
            p = Duration.ofSeconds(1);
        }
        return p.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : p;
    }

    static String settings(Duration objectCountPeriod, Duration samplePeriod) throws IOException {
        try (InputStream in = JfrCollector.class.getResourceAsStream("leak.jfc")) {
            if (in == null) {
                throw new IOException("leak.jfc missing from the leakscope jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@OBJECT_COUNT_PERIOD@", Math.max(1, objectCountPeriod.toMillis()) + " ms")
                    .replace("@SAMPLE_PERIOD@", Math.max(1000, samplePeriod.toMillis()) + " ms");
        }
    }

    @Override
    public void start(CaptureContext ctx) throws IOException {
        JvmConnection jvm = session.jvm();
        name = "leakscope-" + ProcessHandle.current().pid() + "-" + ctx.start().toEpochMilli();
        Duration period = objectCountPeriod(ctx.duration(), ctx.interval());
        Path jfc = session.targetPath("jfr", "leakscope.jfc");
        Files.writeString(jfc, settings(period, ctx.interval()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(jfc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        output = session.targetPath("jfr", "recording.jfr");
        long t0 = System.nanoTime();
        try {
            // JFR reads the settings file here; afterwards it is not needed
            jvm.dcmd("jfrStart", "name=" + name, "settings=" + jfc, "filename=" + output, "dumponexit=true",
                    "maxsize=512m");
        } finally {
            Files.deleteIfExists(jfc);
        }
        startedMs = System.currentTimeMillis();
        ctx.bundle().event("jfr-start", (System.nanoTime() - t0) / 1_000_000, "recording " + name
                + "; jdk.ObjectCount (a full GC each) every " + period.toSeconds() + " s");
        ctx.bundle().setting("jfr.recording", name);
        ctx.bundle().setting("jfr.objectCountPeriod", period.toString());
    }

    @Override
    public void sample(CaptureContext ctx, long tick) {
        // JFR records by itself
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        boolean alive = ctx.procFs().alive(ctx.pid());
        if (alive) {
            long t0 = System.nanoTime();
            // stopping a recording with a destination writes it there (and computes old-object paths)
            session.jvm().dcmd("jfrStop", "name=" + name);
            ctx.bundle().event("jfr-stop", (System.nanoTime() - t0) / 1_000_000, "recording " + name + " stopped and written");
        }
        if (Files.isRegularFile(output) && Files.size(output) > 0) {
            Path f = session.collect(output, "jfr", "recording.jfr");
            ctx.bundle().add(f, ArtifactKind.JFR, Map.of("recording", name, "startMs", Long.toString(startedMs),
                    "dumpedOnExit", Boolean.toString(!alive)));
        } else {
            Files.deleteIfExists(output);
            ctx.bundle().note(Note.warn("jfr", alive ? "the JFR recording was not written" :
                    "the target exited without dumping the JFR recording (killed, or crashed); no JFR data"));
        }
    }
}
