package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.Note;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JDK Flight Recorder file (ours, or any the user has) → heap and class series:
 * {@code jvm.heap.after_gc} (GCHeapSummary "After GC"), {@code jvm.heap.used} (every summary, context),
 * {@code jvm.oldgen.after_gc} (G1: heap minus eden and survivors; Parallel: old space), {@code jvm.metaspace.used},
 * {@code class.<name>.bytes}/{@code .count} (ObjectCount and ObjectCountAfterGC, the largest classes),
 * {@code jvm.rss} (ResidentSetSize, JDK 21+) and {@code jvm.classes.loaded} (context: the warm-up marker). Native-memory events of async-profiler recordings are
 * the {@link NativeLeakReader}'s, not read here.
 */
public final class JfrReader implements InputReader {
    /** Classes kept: the largest by peak bytes. */
    static final int TOP_CLASSES = 200;

    /** Growing arrays of (time, value). */
    private static final class Points {
        long[] t = new long[64];
        double[] v = new double[64];
        int n;

        void add(long time, double value) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = time;
            v[n++] = value;
        }

        double max() {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, v[i]);
            }
            return m;
        }

        Series series(String id, String label, String unit, String role, String parent) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
            long[] ts = new long[n];
            double[] vs = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (k > 0 && ts[k - 1] == t[order[i]]) {
                    vs[k - 1] = v[order[i]]; // ObjectCount and ObjectCountAfterGC of one inspection
                    continue;
                }
                ts[k] = t[order[i]];
                vs[k++] = v[order[i]];
            }
            return new Series(id, label, unit, "jfr", role, parent, Arrays.copyOf(ts, k), Arrays.copyOf(vs, k));
        }
    }

    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        Points afterGc = new Points();
        Points used = new Points();
        Points old = new Points();
        Points metaspace = new Points();
        Points rss = new Points();
        Points classesLoaded = new Points();
        Map<Long, long[]> g1YoungByGc = new HashMap<>(); // gcId -> {eden, survivor}
        Map<Long, long[]> afterGcByGc = new HashMap<>(); // gcId -> {time, heapUsed}
        Map<String, Points> classBytes = new HashMap<>();
        Map<String, Points> classCount = new HashMap<>();
        int events = 0;
        Map<String, Integer> skipped = new java.util.TreeMap<>();
        Map<String, String> skippedWhy = new HashMap<>();
        int oldObjectSamples = 0;
        int mallocs = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e;
                try {
                    e = rf.readEvent();
                } catch (IOException | RuntimeException ex) { // the JDK parser throws IndexOutOfBounds & co on damage
                    out.note(Note.partial(file.toString(), "JFR file ends early after " + events
                            + " events; read what was complete"));
                    break;
                }
                events++;
                long t = e.getStartTime().toEpochMilli();
                String type = e.getEventType().getName();
                try {
                    switch (type) {
                        case "jdk.GCHeapSummary" -> {
                            long heapUsed = e.getLong("heapUsed");
                            used.add(t, heapUsed);
                            if ("After GC".equals(e.getString("when"))) {
                                afterGc.add(t, heapUsed);
                                afterGcByGc.put(e.getLong("gcId"), new long[]{t, heapUsed});
                            }
                        }
                        case "jdk.G1HeapSummary" -> {
                            if ("After GC".equals(e.getString("when"))) {
                                g1YoungByGc.put(e.getLong("gcId"),
                                        new long[]{e.getLong("edenUsedSize"), e.getLong("survivorUsedSize")});
                            }
                        }
                        case "jdk.PSHeapSummary" -> {
                            if ("After GC".equals(e.getString("when"))) {
                                // oldSpace is the reserved and committed range; oldObjectSpace what is in use
                                RecordedObject space = e.getValue("oldObjectSpace");
                                if (space != null) {
                                    old.add(t, space.getLong("used"));
                                }
                            }
                        }
                        case "jdk.MetaspaceSummary" -> {
                            if ("After GC".equals(e.getString("when"))) {
                                RecordedObject m = e.getValue("metaspace");
                                if (m != null) {
                                    metaspace.add(t, m.getLong("used"));
                                }
                            }
                        }
                        case "jdk.ObjectCount", "jdk.ObjectCountAfterGC" -> {
                            RecordedClass c = e.getValue("objectClass");
                            if (c != null) {
                                String name = SeriesMerge.className(c.getName());
                                classBytes.computeIfAbsent(name, k -> new Points()).add(t, e.getLong("totalSize"));
                                classCount.computeIfAbsent(name, k -> new Points()).add(t, e.getLong("count"));
                            }
                        }
                        case "jdk.ResidentSetSize" -> rss.add(t, e.getLong("size"));
                        case "jdk.ClassLoadingStatistics" ->
                                classesLoaded.add(t, e.getLong("loadedClassCount") - e.getLong("unloadedClassCount"));
                        case "jdk.OldObjectSample" -> oldObjectSamples++;
                        case "jdk.ExecuteVMOperation" -> out.vmOperations.add(new FindingsBuilder.VmOperation(
                                e.getString("operation"), t, e.getDuration().toMillis()));
                        case "profiler.Malloc" -> mallocs++;
                        default -> {
                            // not a series of ours
                        }
                    }
                } catch (IllegalArgumentException | ClassCastException missing) {
                    // an event of another JDK's shape (a field renamed or moved): that event type is skipped, the
                    // rest of the recording read
                    if (skipped.merge(type, 1, Integer::sum) == 1) {
                        skippedWhy.put(type, missing.getMessage());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a truncated chunk makes the JDK's parser throw IndexOutOfBoundsException and the like, not IOException
            if (events == 0) {
                throw new InputException(file + ": not a readable JFR recording (" + (e instanceof IOException
                        ? "" : "truncated or damaged: ") + e.getMessage() + ")");
            }
            out.note(Note.partial(file.toString(), "JFR file damaged after " + events + " events: " + e.getMessage()));
        }
        for (Map.Entry<String, Integer> k : skipped.entrySet()) {
            out.note(Note.info(file.toString(), k.getValue() + " " + k.getKey() + " event(s) not read: "
                    + skippedWhy.get(k.getKey())));
        }
        for (Map.Entry<Long, long[]> g : g1YoungByGc.entrySet()) {
            long[] heap = afterGcByGc.get(g.getKey());
            if (heap != null) {
                old.add(heap[0], heap[1] - g.getValue()[0] - g.getValue()[1]);
            }
        }
        if (afterGc.n > 0) {
            Series s = afterGc.series("jvm.heap.after_gc", "Java heap after GC", "bytes", "total", null);
            Series prev = out.series.get("jvm.heap.after_gc");
            if (prev == null || !"jfr".equals(prev.source())) {
                out.add(s); // JFR sees every GC; a histogram's few points are not needed beside it
            } else {
                SeriesMerge.add(out, s);
            }
        }
        if (used.n > 0) {
            SeriesMerge.add(out, used.series("jvm.heap.used", "Java heap used (before and after GC)", "bytes", "context", null));
        }
        if (old.n > 0) {
            SeriesMerge.add(out, old.series("jvm.oldgen.after_gc", "Old generation after GC", "bytes", "total", null));
        }
        if (metaspace.n > 0) {
            SeriesMerge.add(out, metaspace.series("jvm.metaspace.used", "Metaspace used", "bytes", "total", null));
        }
        if (rss.n > 0) {
            SeriesMerge.add(out, rss.series("jvm.rss", "Resident set size (JVM's view)", "bytes", "total", null));
        }
        if (classesLoaded.n > 0) {
            // when this levels off the JVM has warmed up; growth before that is not a leak
            SeriesMerge.add(out, classesLoaded.series("jvm.classes.loaded", "Classes loaded", "count", "context", null));
        }
        List<String> classes = new ArrayList<>(classBytes.keySet());
        classes.sort((a, b) -> Double.compare(classBytes.get(b).max(), classBytes.get(a).max()));
        for (String c : classes.subList(0, Math.min(TOP_CLASSES, classes.size()))) {
            SeriesMerge.add(out, classBytes.get(c).series("class." + c + ".bytes", c + " (bytes)", "bytes", "part",
                    "jvm.heap.after_gc"));
            SeriesMerge.add(out, classCount.get(c).series("class." + c + ".count", c + " (instances)", "count",
                    "context", null));
        }
        if (mallocs > 0 && artifact == null) {
            // a loose async-profiler nativemem recording: same magic as any JFR, read for its leaks
            new NativeLeakReader().read(file, null, out);
            return;
        }
        if (afterGc.n == 0 && events > 0) {
            out.note(Note.info(file.toString(), "the JFR recording has no jdk.GCHeapSummary events (no GC ran, or the"
                    + " event was off): no heap-after-GC series from it"));
        }
        if (oldObjectSamples > 0) {
            out.note(Note.info(file.toString(), oldObjectSamples + " old-object samples (jdk.OldObjectSample) with"
                    + " paths to GC roots are in the recording: 'jfr print --events OldObjectSample " + file.getFileName() + "'"));
        }
    }
}
