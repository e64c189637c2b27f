package io.leakscope.collect.jvm;

import io.leakscope.bundle.BundleWriter;
import io.leakscope.collect.CaptureContext;
import io.leakscope.collect.Collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The attach session shared by the JVM collectors, and the place where the target writes files for us.
 * The target JVM itself opens the .jfc and writes JFR files, heap dumps and agent logs, so those paths must
 * be reachable by the target's user: when it is our user they are the bundle's own folders; otherwise (root
 * capturing another user's JVM) a private staging directory owned by the target's user, whose files are
 * moved into the bundle. As a collector it is started first and stopped last of the JVM collectors: stopping
 * detaches and removes the staging directory.
 */
public final class JvmSession implements Collector {
    private final JvmConnection jvm;
    private final BundleWriter bundle;
    private final Path staging;

    private JvmSession(JvmConnection jvm, BundleWriter bundle, Path staging) {
        this.jvm = jvm;
        this.bundle = bundle;
        this.staging = staging;
    }

    public static JvmSession create(JvmConnection jvm, BundleWriter bundle) throws IOException {
        int ours = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int theirs = (Integer) Files.getAttribute(Path.of("/proc/" + jvm.pid()), "unix:uid");
        if (ours == theirs) {
            return new JvmSession(jvm, bundle, null);
        }
        Path dir = Files.createTempDirectory("leakscope-" + jvm.pid() + "-");
        Files.setPosixFilePermissions(dir, io.leakscope.io.AtomicFiles.DIR_MODE);
        Files.setAttribute(dir, "unix:uid", theirs);
        return new JvmSession(jvm, bundle, dir);
    }

    public JvmConnection jvm() {
        return jvm;
    }

    /** An absolute path the target can write to, for a file that will become bundle {@code folder/name}. */
    public Path targetPath(String folder, String name) throws IOException {
        if (staging == null) {
            return bundle.file(folder, name);
        }
        return staging.resolve(folder.replace('/', '-') + "-" + name);
    }

    /** Brings a file the target wrote at {@link #targetPath} into the bundle; returns its bundle path. */
    public Path collect(Path written, String folder, String name) throws IOException {
        Path dest = bundle.file(folder, name);
        if (!written.equals(dest)) {
            Files.move(written, dest);
            // written by the target's user; the bundle is ours alone
            Files.setAttribute(dest, "unix:uid", Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            Files.setAttribute(dest, "unix:gid", Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
        }
        return dest;
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public void start(CaptureContext ctx) {
        ctx.bundle().setting("jvm.staging", staging == null ? "bundle" : staging.toString());
    }

    @Override
    public void sample(CaptureContext ctx, long tick) {
        // nothing: the other JVM collectors sample
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        jvm.close();
        if (staging != null) {
            try (Stream<Path> files = Files.walk(staging)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
