package io.leakscope.analyze;

import io.leakscope.bundle.Artifact;
import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.findings.Input;
import io.leakscope.findings.Note;
import io.leakscope.findings.Target;
import io.leakscope.heap.HeapReader;
import io.leakscope.heap.HprofReader;
import io.leakscope.growth.GrowthStage;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyze stage of the pipeline: inputs (bundles, or loose files of any supported kind) in, findings
 * out. Reading is by kind ({@link InputReader}); what spans all inputs runs afterwards ({@link Stage}).
 */
public final class Analyzer {
    private final Map<String, InputReader> readers;
    private final List<Stage> stages;
    private final String generator;

    public Analyzer(Map<String, InputReader> readers, List<Stage> stages, String generator) {
        this.readers = Map.copyOf(readers);
        this.stages = List.copyOf(stages);
        this.generator = generator;
    }

    /** The analyzer with every reader and stage leakscope has. */
    public static Analyzer standard(String generator) {
        return standard(generator, false, null);
    }

    /**
     * @param showValues    heap dumps: show string contents and credential values (off by default)
     * @param heapProgress  told how far each heap dump pass got, or null
     */
    public static Analyzer standard(String generator, boolean showValues, HprofReader.Progress heapProgress) {
        Map<String, InputReader> r = new LinkedHashMap<>();
        r.put(InputKind.SERIES, new SeriesReader());
        r.put(InputKind.SMAPS_DIR, new io.leakscope.smaps.SmapsCaptureReader());
        r.put(InputKind.SMAPS_TAR, new io.leakscope.smaps.SmapsCaptureReader.Tar());
        r.put(InputKind.MEMRAY_CSV, new io.leakscope.memray.MemrayReaders.Csv());
        r.put(InputKind.MEMRAY_JSON, new io.leakscope.memray.MemrayReaders.Stats());
        r.put(InputKind.MEMRAY_HTML, new io.leakscope.memray.MemrayReaders.Html());
        r.put(InputKind.MEMRAY_BIN, new io.leakscope.memray.MemrayReaders.Binary());
        r.put(InputKind.JFR, new io.leakscope.jvm.JfrReader());
        r.put(InputKind.NMT, new io.leakscope.jvm.NmtReader());
        r.put(InputKind.HISTOGRAM, new io.leakscope.jvm.HistogramReader());
        r.put(ArtifactKind.NATIVE_JFR, new io.leakscope.jvm.NativeLeakReader());
        HeapReader heap = new HeapReader(showValues, heapProgress);
        r.put(InputKind.HPROF, heap);
        List<Stage> s = new ArrayList<>();
        s.add(heap.diffStage());
        s.add(new io.leakscope.jvm.NativeMemoryStage());
        s.add(new GrowthStage());
        s.add(new VerdictStage());
        s.add(new io.leakscope.advice.AdviceStage()); // after the verdict: advice depends on it
        return new Analyzer(r, s, generator);
    }

    public Findings analyze(List<Path> inputs) throws IOException {
        if (inputs.isEmpty()) {
            throw new InputException("no input given");
        }
        FindingsBuilder b = new FindingsBuilder();
        for (Path in : inputs) {
            String kind = InputKind.detect(in);
            if (kind.equals(InputKind.BUNDLE)) {
                readBundle(in, b);
            } else if (kind.equals(InputKind.FINDINGS)) {
                throw new InputException(in + ": is already a findings file; use 'leakscope report' or 'leakscope gate' on it");
            } else {
                b.inputs.add(new Input(in.toString(), kind, Files.isRegularFile(in) ? Files.size(in) : 0));
                readerFor(kind, in).read(in, null, b);
            }
        }
        if (b.target == null) {
            b.target = Target.offline(inputs.size() == 1 ? inputs.get(0).toString() : inputs.size() + " files");
        }
        for (Stage st : stages) {
            st.apply(b);
        }
        return b.build(generator);
    }

    private void readBundle(Path dir, FindingsBuilder b) throws IOException {
        Bundle bundle = Bundle.open(dir);
        b.inputs.add(new Input(dir.toString(), InputKind.BUNDLE, 0));
        if (bundle.manifest().target() != null) {
            b.target = bundle.manifest().target();
        }
        if (bundle.manifest().limits() != null) {
            b.limits = bundle.manifest().limits();
        }
        b.notes.addAll(bundle.manifest().notes());
        if (b.capture == null) {
            b.capture = capture(bundle.manifest());
        }
        if ("target-exited".equals(bundle.manifest().endReason())) {
            b.note(Note.info("capture", "The target exited at " + bundle.manifest().captureEnd()
                    + ", before the capture was due to end."));
        }
        for (Artifact a : bundle.manifest().artifacts()) {
            InputReader r = readers.get(a.kind());
            if (r == null) {
                if (!a.kind().equals(ArtifactKind.LOG) && !a.kind().equals(ArtifactKind.FLAMEGRAPH)) {
                    b.note(Note.info(a.path(), "not analysed: no reader for kind '" + a.kind() + "' yet"));
                }
                continue;
            }
            r.read(bundle.resolve(a), a, b);
        }
        b.capture = withStops(b.capture, b.vmOperations);
    }

    /**
     * The capture's heap dumps and class histograms with how long each stopped the target: the VM operation
     * (HeapDumper, GC_HeapInspection) the target's JFR recording has for it, the longest that started within the
     * call (the event's time is the call's end; a second of slack either side for the clocks).
     */
    static io.leakscope.findings.Capture withStops(io.leakscope.findings.Capture c, List<FindingsBuilder.VmOperation> ops) {
        if (c == null || ops.isEmpty()) {
            return c;
        }
        List<io.leakscope.findings.Capture.Event> events = new ArrayList<>();
        for (io.leakscope.findings.Capture.Event e : c.events()) {
            String op = "heap-dump".equals(e.kind()) ? "HeapDumper" : "histogram".equals(e.kind()) ? "GC_HeapInspection" : null;
            Long stopped = null;
            if (op != null && e.time() != null && e.durationMs() != null) {
                try {
                    long end = java.time.Instant.parse(e.time()).toEpochMilli();
                    for (FindingsBuilder.VmOperation o : ops) {
                        if (op.equals(o.name()) && o.startMs() >= end - e.durationMs() - 1000 && o.startMs() <= end + 1000
                                && (stopped == null || o.durationMs() > stopped)) {
                            stopped = o.durationMs();
                        }
                    }
                } catch (java.time.format.DateTimeParseException ignored) {
                    // an event without a readable time keeps what it had
                }
            }
            events.add(stopped == null ? e
                    : new io.leakscope.findings.Capture.Event(e.time(), e.kind(), e.durationMs(), e.detail(), stopped));
        }
        return new io.leakscope.findings.Capture(c.start(), c.end(), c.endReason(), c.settings(), events);
    }

    private static io.leakscope.findings.Capture capture(io.leakscope.bundle.Manifest m) {
        List<io.leakscope.findings.Capture.Event> events = new ArrayList<>();
        for (io.leakscope.bundle.CaptureEvent e : m.events()) {
            events.add(new io.leakscope.findings.Capture.Event(e.time(), e.kind(), e.durationMs(), e.detail()));
        }
        return new io.leakscope.findings.Capture(m.captureStart(), m.captureEnd(), m.endReason(), m.settings(), events);
    }

    private InputReader readerFor(String kind, Path in) {
        InputReader r = readers.get(kind);
        if (r == null) {
            throw new InputException(in + ": reading " + kind + " input is not implemented yet");
        }
        return r;
    }

    /** For callers that want findings as JSON text. */
    public static String toJson(Findings f) {
        return FindingsJson.toJson(f);
    }
}
