package io.leakscope.bundle;

import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Note;
import io.leakscope.findings.Target;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a capture bundle. The bundle is built in {@code NAME.leakscope.partial/} and renamed to
 * {@code NAME.leakscope/} by {@link #finish}, so a bundle under its final name is always complete; a killed
 * capture leaves a {@code .partial} directory whose last checkpointed manifest still says what it holds.
 * Directories are created 0700 and files 0600. Thread-safe: samplers add artifacts from their own threads.
 */
public final class BundleWriter {
    public static final String SUFFIX = ".leakscope";
    public static final String PARTIAL = ".partial";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path finalDir;
    private final Path dir;
    private final String createdBy;
    private final Instant start;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Artifact> artifacts = new ArrayList<>();
    private final List<CaptureEvent> events = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private Target target;
    private Limits limits = Limits.UNKNOWN;
    private boolean finished;

    private BundleWriter(Path finalDir, String createdBy) throws IOException {
        this.finalDir = finalDir.toAbsolutePath().normalize();
        this.dir = this.finalDir.resolveSibling(this.finalDir.getFileName() + PARTIAL);
        this.createdBy = createdBy;
        this.start = Instant.now();
        if (Files.exists(this.finalDir)) {
            throw new InputException(this.finalDir + ": already exists; choose another --out");
        }
        if (Files.exists(dir)) {
            throw new InputException(dir + ": a capture is writing there (or one was killed); remove it first");
        }
        AtomicFiles.createPrivateDirectories(dir);
    }

    /** Creates {@code parent/NAME.leakscope} (NAME gets the suffix if it lacks it). */
    public static BundleWriter create(Path parent, String name, String createdBy) throws IOException {
        String n = name.endsWith(SUFFIX) ? name : name + SUFFIX;
        return new BundleWriter(parent.resolve(n), createdBy);
    }

    /** A default bundle name for a target: PID and the UTC time, e.g. {@code 4242-20261124-101500}. */
    public static String defaultName(long pid) {
        return pid + "-" + NAME_TIME.format(Instant.now());
    }

    /** The directory being written (the .partial one until {@link #finish}). */
    public Path dir() {
        return dir;
    }

    public Instant start() {
        return start;
    }

    /**
     * A path for a new artifact file in one of the well-known folders ({@link ArtifactKind#FOLDERS}, or a
     * subfolder of one); the folder is created owner-only. The file is not registered until {@link #add}.
     */
    public Path file(String folder, String name) throws IOException {
        String top = folder.contains("/") ? folder.substring(0, folder.indexOf('/')) : folder;
        if (!ArtifactKind.FOLDERS.contains(top)) {
            throw new IllegalArgumentException("not a bundle folder: " + folder);
        }
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad artifact name: " + name);
        }
        Path f = dir.resolve(folder);
        AtomicFiles.createPrivateDirectories(f);
        return f.resolve(name);
    }

    /** Registers a finished file: owner-only, checksummed. */
    public Artifact add(Path file, String kind, Map<String, String> attributes) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (!abs.startsWith(dir)) {
            throw new IllegalArgumentException(file + " is not inside " + dir);
        }
        Files.setPosixFilePermissions(abs, AtomicFiles.FILE_MODE);
        String rel = dir.relativize(abs).toString().replace('\\', '/');
        Artifact a = new Artifact(rel, kind, Sha256.of(abs), Files.size(abs), Instant.now().toString(), attributes);
        synchronized (this) {
            artifacts.removeIf(x -> x.path().equals(rel));
            artifacts.add(a);
        }
        return a;
    }

    public synchronized BundleWriter target(Target t) {
        this.target = t;
        return this;
    }

    public synchronized BundleWriter limits(Limits l) {
        this.limits = l;
        return this;
    }

    public synchronized BundleWriter setting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public synchronized BundleWriter event(String kind, Long durationMs, String detail) {
        events.add(new CaptureEvent(Instant.now().toString(), kind, durationMs, detail));
        return this;
    }

    public synchronized BundleWriter note(Note note) {
        notes.add(note);
        return this;
    }

    public synchronized Manifest manifest(Instant end, String endReason) {
        return new Manifest(Manifest.SCHEMA, Manifest.SCHEMA_VERSION, createdBy, target, limits, start.toString(),
                end == null ? null : end.toString(), endReason, settings, artifacts, events, notes);
    }

    /** Writes the manifest as it stands, so that a killed capture still documents what it holds. */
    public void checkpoint() throws IOException {
        writeManifest(manifest(null, null));
    }

    /**
     * Writes the final manifest and renames the bundle to its final name.
     *
     * @param endReason completed, interrupted, target-exited, or error
     * @return the final bundle directory
     */
    public synchronized Path finish(String endReason) throws IOException {
        if (finished) {
            return finalDir;
        }
        writeManifest(manifest(Instant.now(), endReason));
        AtomicFiles.moveAtomically(dir, finalDir);
        finished = true;
        return finalDir;
    }

    private void writeManifest(Manifest m) throws IOException {
        AtomicFiles.write(dir.resolve(Bundle.MANIFEST), FindingsJson.MAPPER.writeValueAsBytes(m));
    }
}
