package io.leakscope.bundle;

import io.leakscope.findings.Limits;
import io.leakscope.findings.Note;
import io.leakscope.findings.Target;

import java.util.List;
import java.util.Map;

/**
 * manifest.json: what was captured, from which process, under which limits, and which files hold it.
 * See docs/bundle-format.md.
 *
 * @param settings  the capture settings (duration, interval, what was enabled) as given
 * @param endReason completed, interrupted (Ctrl-C), target-exited, error
 * @param notes     what was not available and why (NMT off, attach refused for native profiling, ...)
 */
public record Manifest(String schema, String schemaVersion, String createdBy, Target target, Limits limits,
                       String captureStart, String captureEnd, String endReason, Map<String, String> settings,
                       List<Artifact> artifacts, List<CaptureEvent> events, List<Note> notes) {
    public static final String SCHEMA = "leakscope.bundle";
    public static final String SCHEMA_VERSION = "1.0";

    public Manifest {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        events = events == null ? List.of() : List.copyOf(events);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
