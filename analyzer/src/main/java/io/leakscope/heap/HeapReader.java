package io.leakscope.heap;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.analyze.Stage;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Note;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The heap engine in the analyzer: reads each HPROF dump (given alone or found in a bundle) into the
 * findings' heap section (summary, suspects, secret counts), and, as a {@link Stage}, diffs the dumps once
 * all inputs were read. Keeps only the signature tables of older dumps and the full analysis of the newest.
 */
public final class HeapReader implements InputReader {
    private final boolean showValues;
    private final HprofReader.Progress progress;
    private final List<HeapDiff.Dump> dumps = new ArrayList<>();
    private long arraysScanned;
    private long suspected;

    public HeapReader(boolean showValues, HprofReader.Progress progress) {
        this.showValues = showValues;
        this.progress = progress == null ? HprofReader.Progress.NONE : progress;
    }

    /**
     * Java heap per byte of (uncompressed) dump that the engine needs, with a margin for dumps of smaller objects
     * than measured: 0.74 (1.42 GB dump, -Xmx1000m) and 0.74 (5.69 GB, -Xmx4000m), dumps of 59 bytes an object
     * (docs/benchmarks.md); a gzip'd dump is ~4x smaller than its content.
     */
    static final double NEEDED_PER_DUMP_BYTE = 1.1;
    /**
     * The same with the big tables in mapped files: measured 0.34 (142 MB dump, -Xmx48m, mostly the JVM's own)
     * and 0.21 (5.69 GB, -Xmx1200m); the heap then holds about 10 bytes an object, 18 while pass 1 runs.
     */
    static final double NEEDED_PER_DUMP_BYTE_MAPPED = 0.35;

    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        String name = artifact != null ? artifact.path() : file.toString();
        try {
            readDump(file, artifact, out, name);
        } catch (InternalError e) {
            InputException full = mappedWriteFault(file, e);
            if (full == null) {
                throw e;
            }
            throw full;
        } catch (OutOfMemoryError e) {
            // with its tables on the heap the engine needs about 33 B per object at the peak (37 past 32 GiB; 23 B
            // and 8 per reference while reading); with them in mapped files, 10 B (the per-object facts the report
            // reads) plus 8 B while the ids are collected. The analysis chooses mapped files by itself when it sees the heap is short;
            // this is where that estimate was wrong, or even the mapped tables' share did not fit.
            long max = Runtime.getRuntime().maxMemory();
            long dumpBytes = Files.size(file);
            boolean gzip = file.getFileName().toString().endsWith(".gz");
            long content = (gzip ? 4 : 1) * dumpBytes;
            long needGb = Math.max(1, (long) Math.ceil(NEEDED_PER_DUMP_BYTE * content / (1L << 30)));
            // a dump of smaller objects than measured needs more per byte: never advise less than half again
            // the heap that just ran out
            needGb = Math.max(needGb, (long) Math.ceil(1.5 * max / (1L << 30)));
            long mappedMb = Math.max((long) Math.ceil(1.5 * max / (1 << 20)),
                    (long) Math.ceil(NEEDED_PER_DUMP_BYTE_MAPPED * content / (1 << 20)) + 64);
            List<String> unmapped = ArraySpace.takeSharedProblems();
            if (!unmapped.isEmpty()) {
                // the tables were to be mapped, but their directory could not take them: that is what to fix
                throw new InputException(file + ": not enough memory to analyse this dump with a " + (max >> 20)
                        + " MB heap, because " + unmapped.get(0).replace(ArraySpace.ON_THE_HEAP, "") + "; free space"
                        + " there, point leakscope at a bigger disk (LEAKSCOPE_JAVA_OPTS=-Djava.io.tmpdir=DIR), or"
                        + " give it about the " + (gzip ? "uncompressed " : "") + "dump's size (LEAKSCOPE_JAVA_OPTS=-Xmx"
                        + needGb + "g)");
            }
            throw new InputException(file + ": not enough memory to analyse this dump with a " + (max >> 20)
                    + " MB heap; give leakscope about the " + (gzip ? "uncompressed " : "") + "dump's size"
                    + " (LEAKSCOPE_JAVA_OPTS=-Xmx" + needGb + "g), or a third of it with its tables in mapped files"
                    + " (LEAKSCOPE_JAVA_OPTS=\"-Xmx" + mappedMb + "m -Dleakscope.heap.tables=mapped\")");
        }
    }

    /**
     * The one line for {@code e} when it is how the JVM reports a fault writing a mapped page (the file system had
     * no block for it: the disk filled up after the free-space check), else null.
     */
    static InputException mappedWriteFault(Path file, InternalError e) {
        if (e.getMessage() == null || !e.getMessage().contains("unsafe memory access")) {
            return null;
        }
        return new InputException(file + ": could not write the analysis's tables mapped in "
                + ParkedArrays.defaultDirectory() + " (is its disk full?); free space there or point leakscope"
                + " elsewhere: LEAKSCOPE_JAVA_OPTS=-Djava.io.tmpdir=DIR");
    }

    private void readDump(Path file, Artifact artifact, FindingsBuilder out, String name) throws IOException {
        Long ts = null;
        if (artifact != null && artifact.createdAt() != null) {
            try {
                ts = Instant.parse(artifact.createdAt()).toEpochMilli();
            } catch (DateTimeParseException e) {
                out.note(Note.warn(name, "createdAt '" + artifact.createdAt() + "' is not a time; using the dump header"));
            }
        }
        if (ts == null) {
            long header = HprofReader.timestampOf(file);
            ts = header > 0 ? header : null;
        }
        // decided before reading: the newest dump's full analysis replaces the previous one's, which is
        // released first, so a diff never holds two full analyses (each about the dump's size) at once
        boolean isNewest = becomesNewest(ts);
        HeapGraph g = HprofReader.read(file, progress, showValues);
        HeapAnalysis a = HeapAnalysis.releasingReferences(g, progress);
        if (g.partial) {
            out.note(Note.partial(name, "heap dump read only in part (" + g.partialReason + "): "
                    + g.objectCount + " objects before that point were analysed"));
        }
        for (String w : g.warnings) {
            out.note(Note.warn(name, w));
        }
        for (String i : g.infos) {
            out.note(Note.info(name, i));
        }
        out.note(Note.info(name, g.layout.describe()));
        String unreachable = a.unreachableSummary();
        if (unreachable != null) {
            out.note(Note.info(name, unreachable));
        }
        if (g.space.isMapped()) {
            out.note(Note.info(name, "the analysis kept its big tables in memory-mapped files in "
                    + ParkedArrays.defaultDirectory() + (ArraySpace.requestedTables().equals("mapped")
                    ? ", as -Dleakscope.heap.tables=mapped asks" : ": they would not have fitted in this "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap")));
        }
        for (String w : g.space.takeProblems()) {
            out.note(Note.warn(name, w));
        }
        Heap h = out.heap;
        List<Heap.DumpSummary> summaries = new ArrayList<>(h.dumps());
        Heap.DumpSummary summary = a.summary(ts);
        summaries.add(new Heap.DumpSummary(name, summary.timestampMs(), summary.objects(), summary.shallowBytes(),
                summary.reachableObjects(), summary.reachableBytes(), summary.softlyHeldBytes(),
                summary.weaklyHeldBytes(), summary.softlyHeldPath(), summary.references(), summary.gcRoots(),
                summary.partial(), summary.partialReason(), summary.warnings(), summary.histogram(),
                summary.topDominators()));
        List<Heap.LeakSuspect> suspects = new ArrayList<>(h.suspects());
        for (Heap.LeakSuspect s : a.suspects()) {
            suspects.add(new Heap.LeakSuspect(name, s.description(), s.className(), s.heldBy(), s.retainedBytes(), s.shareOfHeap(),
                    s.accumulationPoint(), s.pathFromRoot(), s.accumulated()));
        }
        List<Heap.SecretHolder> holders = new ArrayList<>(h.secrets() == null ? List.of() : h.secrets().holders());
        for (Heap.SecretHolder s : a.secretHolders()) {
            holders.add(new Heap.SecretHolder(name, s.retainedBy(), s.kind(), s.count(), s.maskedPrefixes(), s.values()));
        }
        arraysScanned += g.secretHits.arraysScanned();
        suspected += g.secretHits.objects().length;
        out.heap = new Heap(summaries, suspects, h.growing(),
                new Heap.SecretScan(arraysScanned, suspected, showValues, holders));
        // keep the full analysis only of the newest dump: the diff names paths in it
        dumps.add(new HeapDiff.Dump(name, ts, a.reachableBytes(), a.sigs, isNewest ? a : null,
                HeapDiff.programClasses(g)));
    }

    /** Whether a dump taken at {@code ts} is the newest so far; if so the previous newest drops its analysis. */
    private boolean becomesNewest(Long ts) {
        HeapDiff.Dump newest = newest();
        boolean isNewest = newest == null || (ts != null && (newest.timestampMs() == null || ts >= newest.timestampMs()))
                || (ts == null && newest.timestampMs() == null);
        if (isNewest && newest != null) {
            dumps.set(dumps.indexOf(newest), newest.withoutAnalysis());
            HeapAnalysis previous = newest.analysis();
            newest = null;
            previous.release(); // mapped tables: their pages go to the next dump's
            ArraySpace space = previous.g.space;
            long objects = previous.g.objectCount;
            previous = null;
            // heap tables: collected now, so that the next dump's take their memory instead of fresh memory
            space.reclaimHeap(33L * objects);
        }
        return isNewest;
    }

    /** The full analysis kept, of the newest dump read so far (tests). */
    HeapAnalysis newestAnalysis() {
        HeapDiff.Dump d = newest();
        return d == null ? null : d.analysis();
    }

    private HeapDiff.Dump newest() {
        for (HeapDiff.Dump d : dumps) {
            if (d.analysis() != null) {
                return d;
            }
        }
        return null;
    }

    /**
     * The diff across the dumps read, as a stage that runs after every input; the last to read the dumps'
     * tables, it lets go of them.
     */
    public Stage diffStage() {
        return b -> {
            try {
                diff(b);
            } finally {
                releaseAll();
            }
        };
    }

    /**
     * Drops every dump's tables, which the findings no longer need, and has the heap's collected now: the JVM
     * then gives their memory back before the report is rendered, instead of the rendering's classes and
     * buffers coming on top of it (the 142 MB bench dump's `leakscope analyze` peaked at 151 MiB in the
     * rendering, the heap tables still resident; docs/benchmarks.md).
     */
    private void releaseAll() {
        HeapDiff.Dump newest = newest();
        dumps.clear();
        HeapAnalysis a = newest == null ? null : newest.analysis();
        newest = null;
        if (a != null) {
            a.release();
            ArraySpace space = a.g.space;
            long objects = a.g.objectCount;
            a = null;
            space.reclaimHeap(33L * objects);
        }
    }

    private void diff(FindingsBuilder b) {
        if (dumps.size() < 2) {
            return;
        }
        List<HeapDiff.Dump> ordered = new ArrayList<>(dumps);
        boolean timed = ordered.stream().allMatch(d -> d.timestampMs() != null);
        if (timed) {
            ordered.sort(Comparator.comparingLong(HeapDiff.Dump::timestampMs));
        } else {
            b.note(Note.warn("heap", "not every dump has a time; dumps are compared in the order given"));
        }
        for (int i = 1; i < ordered.size(); i++) {
            HeapDiff.Dump p = ordered.get(i - 1);
            HeapDiff.Dump q = ordered.get(i);
            String apart = HeapDiff.differentPrograms(p, q);
            if (apart != null) {
                b.note(Note.warn("heap", apart));
            }
            if (timed && p.timestampMs().equals(q.timestampMs())) {
                // a JVM writes one dump at a time: the same time to the millisecond is the same dump
                b.note(Note.warn("heap", p.path() + " and " + q.path() + " were taken at the same time ("
                        + Instant.ofEpochMilli(q.timestampMs()) + "): the same dump twice? A diff needs dumps taken"
                        + " apart in time"));
            }
        }
        if (ordered.get(ordered.size() - 1).analysis() == null) {
            b.note(Note.warn("heap", "dump order is ambiguous; growth is not computed"));
            return;
        }
        List<Heap.GrowingPath> growing = HeapDiff.growing(ordered);
        Heap h = b.heap;
        b.heap = new Heap(h.dumps(), h.suspects(), growing, h.secrets());
        if (growing.isEmpty()) {
            b.note(Note.info("heap", "no dominator subtree grew in every one of the " + (ordered.size() - 1)
                    + " intervals between the " + ordered.size() + " dumps"));
        }
    }
}
