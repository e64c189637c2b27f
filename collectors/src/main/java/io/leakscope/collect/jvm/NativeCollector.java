package io.leakscope.collect.jvm;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.collect.CaptureContext;
import io.leakscope.collect.Collector;
import io.leakscope.findings.Note;
import io.leakscope.jvm.NativeLeaks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * async-profiler inside the target: {@code nativemem} (mallocs and frees, for native leaks) with
 * {@code --native}, {@code alloc}+{@code live} (Java allocations still live at the end) with {@code --alloc}.
 * The library comes from the async-profiler jar on our class path, extracted once per version to a fixed
 * path the target can read; it is loaded with the Attach API, stopped at the end, and stays mapped but idle
 * (a native library cannot be unloaded). Its JFR goes to native/, converted to a leak flame graph.
 */
public final class NativeCollector implements Collector {
    /** Default nativemem sampling: one malloc recorded per this many bytes allocated (frees are all recorded). */
    public static final String DEFAULT_NATIVEMEM_INTERVAL = "128k";
    static final String ALLOC_INTERVAL = "512k";

    private final JvmSession session;
    private final boolean nativeMem;
    private final boolean alloc;
    private boolean liveAlloc; // alloc, where the target's JDK has what async-profiler's live option needs
    private Path library;
    private Path jfr;
    private Path log;
    private boolean running;

    public NativeCollector(JvmSession session, boolean nativeMem, boolean alloc) {
        this.session = session;
        this.nativeMem = nativeMem;
        this.alloc = alloc;
    }

    @Override
    public String name() {
        return nativeMem ? "native" : "alloc";
    }

    /** async-profiler's version, from the jar's Maven metadata. */
    static String version() throws IOException {
        try (InputStream in = NativeCollector.class.getResourceAsStream(
                "/META-INF/maven/tools.profiler/async-profiler/pom.properties")) {
            if (in == null) {
                throw new IOException("async-profiler is not on leakscope's class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    /**
     * Extracts libasyncProfiler.so to {@code TMPDIR/leakscope-lib-UID/async-profiler-VERSION/} (0755 dirs,
     * 0644 file) unless an identical copy is there. A directory that another user could have written to is
     * refused: whatever is there gets loaded into the target.
     */
    static Path extractLibrary() throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> throw new IOException("async-profiler has no library for " + System.getProperty("os.arch"));
        };
        byte[] lib;
        try (InputStream in = NativeCollector.class.getResourceAsStream("/" + arch + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new IOException("libasyncProfiler.so for " + arch + " missing from the async-profiler jar");
            }
            lib = in.readAllBytes();
        }
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path top = Path.of(System.getProperty("java.io.tmpdir"), "leakscope-lib-" + uid);
        Path dir = top.resolve("async-profiler-" + version());
        var open = PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path d : new Path[]{top, dir}) {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(open));
                    Files.setPosixFilePermissions(d, open); // despite the umask: the target's user must read it
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // checked below
                }
            }
            PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || owner != uid || a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(d + " is not a directory owned by us and closed to others; not loading a"
                        + " library from there (remove it)");
            }
        }
        Path so = dir.resolve("libasyncProfiler.so");
        if (Files.isRegularFile(so, LinkOption.NOFOLLOW_LINKS) && java.util.Arrays.equals(lib, Files.readAllBytes(so))) {
            return so;
        }
        Path tmp = Files.createTempFile(dir, ".libasyncProfiler", ".tmp");
        try {
            Files.write(tmp, lib);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, so, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return so;
    }

    @Override
    public void start(CaptureContext ctx) throws IOException {
        String java = session.jvm().systemProperties().getProperty("java.specification.version", "");
        liveAlloc = alloc && session.jvm().featureVersion() >= 11;
        if (alloc && !liveAlloc) {
            ctx.bundle().note(Note.warn("alloc", "--alloc not captured: async-profiler tracks live Java allocations"
                    + " on JDK 11 and later, and PID " + ctx.pid() + " runs Java " + java
                    + (nativeMem ? "; --native runs" : "")));
            if (!nativeMem) {
                return;
            }
        }
        library = extractLibrary();
        String loaded = JvmConnection.mappedLibrary(Path.of("/proc"), ctx.pid(), "libasyncProfiler");
        if (loaded != null && !loaded.equals(library.toString())) {
            throw new IOException("another async-profiler is already loaded in PID " + ctx.pid() + " (" + loaded
                    + "); not loading a second copy");
        }
        jfr = session.targetPath("native", "native.jfr");
        log = session.targetPath("native", "agent.log");
        StringBuilder opts = new StringBuilder("start");
        if (nativeMem) {
            opts.append(",nativemem=").append(DEFAULT_NATIVEMEM_INTERVAL);
        }
        if (liveAlloc) {
            opts.append(",alloc=").append(ALLOC_INTERVAL).append(",live");
        }
        opts.append(",file=").append(jfr).append(",jfr,log=").append(log);
        long t0 = System.nanoTime();
        int rc = session.jvm().loadAgentPath(library.toString(), opts.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (rc != 0) {
            throw new IOException("async-profiler did not start (" + rc + "): " + firstError());
        }
        running = true;
        ctx.bundle().event(name() + "-start", ms, "async-profiler " + version() + " " + opts.substring(0, opts.indexOf(",file=")));
        ctx.bundle().setting("native.agent", library.toString());
    }

    private String firstError() {
        try {
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (l.contains("[ERROR]") || l.contains("[WARN]")) {
                    return l.strip();
                }
            }
        } catch (IOException ignored) {
            // no log to read
        }
        return "see the target's output";
    }

    /**
     * Asks the stopped agent for its status. A command without {@code log=} also makes the agent close our
     * log file, so no file handle of ours stays open in the target.
     */
    private String idleCheck() throws IOException {
        Path status = session.targetPath("native", "status.txt");
        try {
            session.jvm().loadAgentPath(library.toString(), "status,file=" + status);
            return Files.isRegularFile(status) ? Files.readString(status).strip() : "no status";
        } finally {
            Files.deleteIfExists(status);
        }
    }

    @Override
    public void sample(CaptureContext ctx, long tick) {
        // the agent records by itself
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        if (!running) {
            return;
        }
        running = false;
        boolean alive = ctx.procFs().alive(ctx.pid());
        if (alive) {
            long t0 = System.nanoTime();
            int rc = session.jvm().loadAgentPath(library.toString(), "stop,log=" + log);
            ctx.bundle().event(name() + "-stop", (System.nanoTime() - t0) / 1_000_000, "async-profiler stopped");
            if (rc != 0) {
                ctx.bundle().note(Note.warn(name(), "async-profiler stop failed (" + rc + "): " + firstError()));
            }
            String status = idleCheck();
            if (!status.contains("not active")) {
                ctx.bundle().note(Note.warn(name(), "async-profiler still reports: " + status));
            }
        }
        if (Files.isRegularFile(log)) {
            ctx.bundle().add(session.collect(log, "native", "agent.log"), ArtifactKind.LOG, Map.of("source", "async-profiler"));
        }
        if (!Files.isRegularFile(jfr) || Files.size(jfr) == 0) {
            ctx.bundle().note(Note.warn(name(), alive ? "async-profiler wrote no recording"
                    : "the target exited before async-profiler's recording was written"));
            Files.deleteIfExists(jfr);
            return;
        }
        Path rec = session.collect(jfr, "native", "native.jfr");
        Map<String, String> attrs = new HashMap<>();
        attrs.put("nativemem", nativeMem ? DEFAULT_NATIVEMEM_INTERVAL : "off");
        attrs.put("alloc", liveAlloc ? ALLOC_INTERVAL + ",live" : "off");
        attrs.put("tail", Double.toString(NativeLeaks.DEFAULT_TAIL));
        try {
            long t0 = System.nanoTime();
            if (nativeMem) {
                Path html = ctx.bundle().file("native", "leak-flame.html");
                Path collapsed = ctx.bundle().file("native", "leak.collapsed");
                NativeLeaks.writeFlameGraphs(rec, html, collapsed, NativeLeaks.DEFAULT_TAIL);
                ctx.bundle().add(html, ArtifactKind.FLAMEGRAPH, Map.of("view", "native-leak"));
                ctx.bundle().add(collapsed, ArtifactKind.FLAMEGRAPH, Map.of("view", "native-leak", "format", "collapsed"));
                attrs.put("flameGraph", "native/leak-flame.html");
            }
            if (liveAlloc) {
                Path live = ctx.bundle().file("native", "live-flame.html");
                NativeLeaks.writeLiveFlameGraph(rec, live);
                ctx.bundle().add(live, ArtifactKind.FLAMEGRAPH, Map.of("view", "java-live"));
                attrs.put("liveFlameGraph", "native/live-flame.html");
            }
            ctx.bundle().event("flame-graphs", (System.nanoTime() - t0) / 1_000_000, "converted in leakscope, not in the target");
        } catch (IOException | RuntimeException e) {
            ctx.bundle().note(Note.warn(name(), "flame graphs not rendered: " + e.getMessage()));
        }
        ctx.bundle().add(rec, ArtifactKind.NATIVE_JFR, attrs);
    }
}
