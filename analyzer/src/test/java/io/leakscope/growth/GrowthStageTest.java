package io.leakscope.growth;

import io.leakscope.analyze.Analyzer;
import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Limits;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static io.leakscope.growth.Synthetic.MB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowthStageTest {
    static final long T0 = 1_764_000_000_000L;

    @TempDir
    Path tmp;

    /** Samples every 10 s for {@code minutes}: level + slope·t + noise. */
    static Series series(String id, String role, String parent, double level, double perMinute, double noise,
                         double minutes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = (int) (minutes * 6);
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0 + i * 10_000L;
            v[i] = level + perMinute * i / 6.0 + noise * Synthetic.gaussian(r);
        }
        return new Series(id, id, "bytes", "test", role, parent, t, v);
    }

    static Growth.SignalFit fit(FindingsBuilder b, String id) {
        return b.growth.signals().stream().filter(f -> f.seriesId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void rssGrowingUnderAFlatHeapIsANativeLeakAttributedToItsParts() {
        FindingsBuilder b = new FindingsBuilder();
        b.add(series("process.rss", "total", null, 800 * MB, 2 * MB, 2 * MB, 30, 1));
        b.add(series("process.anon", "part", "process.rss", 600 * MB, 1.6 * MB, 1 * MB, 30, 2));
        b.add(series("process.file", "part", "process.rss", 200 * MB, 0.1 * MB, 0.5 * MB, 30, 3));
        b.add(series("jvm.heap.after_gc", "total", null, 300 * MB, 0, 3 * MB, 30, 4));
        b.limits = Limits.withEffective(16L << 30, 0L, 2, "/agent", 2L << 30, null, 1L << 30);
        new GrowthStage().apply(b);

        assertEquals(Verdict.LEAK, fit(b, "process.rss").verdict());
        assertEquals(Verdict.STABLE, fit(b, "jvm.heap.after_gc").verdict());
        assertTrue(b.headline.startsWith("Native or off-heap leak"), b.headline);
        assertTrue(b.growth.explanation().contains("outside the Java heap"), b.growth.explanation());

        List<Growth.Attribution> a = b.growth.attribution();
        assertEquals("process.anon", a.get(0).part());
        assertEquals(1, a.get(0).rank());
        assertEquals(0.8, a.get(0).share(), 0.1);
        Growth.Attribution rest = a.get(a.size() - 1);
        assertEquals("unexplained", rest.part());
        double sum = a.stream().mapToDouble(Growth.Attribution::share).sum();
        assertEquals(1.0, sum, 1e-9, "parts and the unexplained rest add up to the whole");

        // 2 GiB cgroup limit, about 860 MiB now, 2 MiB/min: (2048 - 860) / 2 = 594 min, 9.9 hours
        Growth.TimeToLimit ttl = fit(b, "process.rss").timeToLimit();
        assertNotNull(ttl);
        assertEquals(2L << 30, ttl.limitBytes());
        assertEquals("cgroup memory limit", ttl.limitSource());
        assertTrue(ttl.earliestSecs() < 9.95 * 3600 && ttl.latestSecs() > 9.85 * 3600,
                ttl.earliestSecs() / 3600 + " .. " + ttl.latestSecs() / 3600 + " h");
        assertTrue(ttl.earliestSecs() > 7 * 3600 && ttl.latestSecs() < 13 * 3600, ttl.text());
        assertTrue(ttl.text().startsWith("between "), ttl.text());
        assertNull(ttl.swapAtBytes(), "no swap on this host");
    }

    @Test
    void rssGrowingWhileTheHeapIsUndecidedDoesNotBlameNativeMemory() {
        FindingsBuilder b = new FindingsBuilder();
        b.add(series("process.rss", "total", null, 300 * MB, 10 * MB, 1 * MB, 3, 13));
        Series fewGcs = series("jvm.heap.after_gc", "total", null, 50 * MB, 0, 1 * MB, 1, 14); // 6 collections
        b.add(fewGcs);
        new GrowthStage().apply(b);
        assertEquals(Verdict.LEAK, fit(b, "process.rss").verdict());
        assertEquals(Verdict.INCONCLUSIVE, fit(b, "jvm.heap.after_gc").verdict());
        assertTrue(b.headline.contains("heap or native is not decided"), b.headline);
        assertFalse(b.headline.contains("Native or off-heap"), b.headline);
        assertTrue(b.growth.explanation().contains("-Xms"), b.growth.explanation());
    }

    @Test
    void aHeapLeakNamesTheClassThatGrowsAndTheHeapLimit() {
        FindingsBuilder b = new FindingsBuilder();
        b.add(series("jvm.heap.after_gc", "total", null, 200 * MB, 3 * MB, 2 * MB, 20, 5));
        b.add(series("class.byte[].bytes", "part", "jvm.heap.after_gc", 20 * MB, 0.2 * MB, 0.1 * MB, 20, 6));
        b.add(series("class.Message.bytes", "part", "jvm.heap.after_gc", 10 * MB, 2.5 * MB, 0.2 * MB, 20, 7));
        b.add(series("process.rss", "total", null, 400 * MB, 3.1 * MB, 2 * MB, 20, 8));
        b.limits = Limits.withEffective(8L << 30, 8L << 30, null, null, null, null, (long) (512 * MB));
        new GrowthStage().apply(b);

        assertEquals(Verdict.LEAK, fit(b, "jvm.heap.after_gc").verdict());
        assertTrue(b.headline.startsWith("Java heap leak"), b.headline);
        assertTrue(b.headline.contains("class.Message.bytes grows most"), b.headline);
        Growth.TimeToLimit heap = fit(b, "jvm.heap.after_gc").timeToLimit();
        assertEquals((long) (512 * MB), heap.limitBytes());
        assertTrue(heap.limitSource().contains("Xmx"));
        Growth.TimeToLimit rss = fit(b, "process.rss").timeToLimit();
        assertEquals(16L << 30, rss.limitBytes(), "RAM + swap");
        assertEquals(8L << 30, rss.swapAtBytes(), "swapping starts when RAM is full");
        assertTrue(rss.swapEarliestSecs() < rss.earliestSecs());
        assertTrue(b.growth.explanation().contains("heap growth accounts for about"), b.growth.explanation());
    }

    @Test
    void rawHeapIsFittedThroughItsEnvelopeOnlyWithoutAfterGcData() {
        var m = new Synthetic.Model(Synthetic.flat(100 * MB), 2 * MB, 0.3, 12, 10 * MB);
        double[][] raw = Synthetic.rawHeap(m, 20, 9);
        long[] t = new long[raw[0].length];
        for (int i = 0; i < t.length; i++) {
            t[i] = T0 + Math.round(raw[0][i] * 60000);
        }
        Series used = new Series("jvm.heap.used", "heap used", "bytes", "jmx", "total", null, t, raw[1]);
        FindingsBuilder b = new FindingsBuilder();
        b.add(used);
        new GrowthStage().apply(b);
        Growth.SignalFit f = fit(b, "jvm.heap.used");
        assertEquals("lower envelope", f.input());
        assertFalse(f.verdict() == Verdict.LEAK, f.reason());
        assertTrue(f.samplesUsed() < raw[0].length / 5, "troughs only: " + f.samplesUsed());

        b.add(series("jvm.heap.after_gc", "total", null, 100 * MB, 0, 1 * MB, 20, 10));
        b.growth = Growth.EMPTY;
        new GrowthStage().apply(b);
        assertTrue(b.growth.signals().stream().noneMatch(s -> s.seriesId().equals("jvm.heap.used")));
    }

    @Test
    void withTooFewCollectionsNmtStillTellsNativeFromHeap() {
        for (boolean inHeap : new boolean[] {false, true}) {
            FindingsBuilder b = new FindingsBuilder();
            b.add(series("process.rss", "total", null, 400 * MB, 20 * MB, 1 * MB, 5, 1));
            b.add(series("nmt.total.committed", "total", null, 350 * MB, 20 * MB, 0.5 * MB, 5, 2));
            b.add(series("nmt.Java_Heap.committed", "part", "nmt.total.committed", 256 * MB, inHeap ? 19 * MB : 0, 0.2 * MB, 5, 3));
            b.add(series("nmt.Other.committed", "part", "nmt.total.committed", 50 * MB, inHeap ? 1 * MB : 20 * MB, 0.2 * MB, 5, 4));
            Series gcs = series("jvm.heap.after_gc", "total", null, 100 * MB, 0, 1 * MB, 1, 5); // 6 collections
            b.add(gcs);
            new GrowthStage().apply(b);
            assertEquals(Verdict.INCONCLUSIVE, fit(b, "jvm.heap.after_gc").verdict());
            assertEquals(Verdict.LEAK, fit(b, "nmt.total.committed").verdict());
            if (inHeap) {
                assertTrue(b.headline.contains("heap or native is not decided yet"), b.headline);
            } else {
                assertTrue(b.headline.startsWith("Native or off-heap leak: RSS grows")
                        && b.headline.contains("NMT puts 100% of its growth outside the Java heap"), b.headline);
            }
        }
    }

    static final io.leakscope.findings.Heap.GrowingPath PATH = new io.leakscope.findings.Heap.GrowingPath("sig",
            List.of("GC root (JNI global): Loader", "[3] → class com.acme.SessionRegistry", ".SESSIONS → java.util.ArrayList"),
            "java.lang.Object[]", List.of(1L << 20, 2L << 20, 3L << 20), List.of(10L, 20L, 30L), 1 << 20, 2.0 * (1 << 20), 10,
            List.of(new io.leakscope.findings.Heap.Accumulated("com.acme.Message", List.of(100L, 200L, 300L), List.of(1L, 2L, 3L))));

    private static FindingsBuilder withPath() {
        FindingsBuilder b = new FindingsBuilder();
        b.heap = new io.leakscope.findings.Heap(List.of(), List.of(), List.of(PATH), null);
        return b;
    }

    @Test
    void aLeakingHeapEndsItsHeadlineWithTheGrowingPath() {
        FindingsBuilder b = withPath();
        b.add(series("jvm.heap.after_gc", "total", null, 300 * MB, 2 * MB, 1 * MB, 30, 1));
        new GrowthStage().apply(b);
        assertTrue(b.headline.startsWith("Java heap leak: heap after GC grows"), b.headline);
        assertTrue(b.headline.endsWith("; growing path: SessionRegistry.SESSIONS (ArrayList) accumulates Message: +100 per dump,"
                + " 2.0 MiB/min."), b.headline);
    }

    /**
     * A heap that grows while no retained path does, but what only SoftReferences hold grows in every interval
     * between the dumps: the headline says it is a soft cache, which ends at -Xmx.
     */
    @Test
    void aGrowingHeapWithoutAGrowingPathButAGrowingSoftCacheSaysSo() {
        FindingsBuilder b = new FindingsBuilder();
        List<io.leakscope.findings.Heap.DumpSummary> dumps = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dumps.add(new io.leakscope.findings.Heap.DumpSummary("d" + i, T0 + i * 600_000L, 1000, 400 * MB_L,
                    1000, 100 * MB_L, (20 + 20L * i) * MB_L, 0, null, 10, 1, false, null, List.of(), List.of(),
                    List.of()));
        }
        b.heap = new io.leakscope.findings.Heap(dumps, List.of(), List.of(), null);
        b.add(series("jvm.heap.after_gc", "total", null, 300 * MB, 2 * MB, 1 * MB, 30, 1));
        new GrowthStage().apply(b);
        assertTrue(b.headline.startsWith("Java heap leak: heap after GC grows"), b.headline);
        assertTrue(b.headline.endsWith("; no retained path grows between the heap dumps, but what only SoftReferences"
                + " hold does (20.0 MiB → 60.0 MiB): a soft cache, which the JVM keeps until its heap runs short."),
                b.headline);
        assertTrue(b.growth.explanation().contains("ends at -Xmx"), b.growth.explanation());
        // with a path that grows, the path is what the headline names
        FindingsBuilder p = withPath();
        p.heap = new io.leakscope.findings.Heap(dumps, List.of(), List.of(PATH), null);
        p.add(series("jvm.heap.after_gc", "total", null, 300 * MB, 2 * MB, 1 * MB, 30, 1));
        new GrowthStage().apply(p);
        assertFalse(p.headline.contains("SoftReferences"), p.headline);
    }

    private static final long MB_L = 1L << 20;

    @Test
    void theDumpsTellHeapFromNativeWhenTheSeriesCannot() {
        FindingsBuilder b = withPath();
        b.add(series("process.rss", "total", null, 400 * MB, 10 * MB, 1 * MB, 5, 1));
        b.add(series("jvm.heap.after_gc", "total", null, 100 * MB, 0, 1 * MB, 1, 5)); // 6 collections: undecided
        new GrowthStage().apply(b);
        assertEquals(Verdict.INCONCLUSIVE, fit(b, "jvm.heap.after_gc").verdict());
        assertTrue(b.headline.startsWith("Java heap leak: SessionRegistry.SESSIONS (ArrayList) accumulates Message: +100 per"
                + " dump, 2.0 MiB/min; RSS grows "), b.headline);
        assertFalse(b.headline.contains("not decided"), b.headline);

        FindingsBuilder none = new FindingsBuilder();
        none.add(series("process.rss", "total", null, 400 * MB, 10 * MB, 1 * MB, 5, 1));
        none.add(series("jvm.heap.after_gc", "total", null, 100 * MB, 0, 1 * MB, 1, 5));
        new GrowthStage().apply(none);
        assertTrue(none.headline.contains("heap or native is not decided yet"), none.headline);
    }

    @Test
    void aCsvOfSeriesGoesThroughTheAnalyzerToAVerdict() throws Exception {
        Path csv = tmp.resolve("process.csv");
        Series rss = series("process.rss", "total", null, 500 * MB, 1 * MB, 1 * MB, 15, 11);
        Series threads = new Series("process.threads", "threads", "count", "proc", "total", null, rss.timeMs(),
                new double[rss.size()]);
        try (SeriesCsv.Writer w = new SeriesCsv.Writer(csv, List.of(SeriesCsv.Column.total("process.rss", "bytes"),
                SeriesCsv.Column.total("process.threads", "count")))) {
            for (int i = 0; i < rss.size(); i++) {
                w.append(rss.timeMs()[i], rss.values()[i], 40);
            }
        }
        Findings f = Analyzer.standard("test").analyze(List.of(csv));
        assertEquals(Verdict.LEAK, f.verdict());
        assertTrue(f.headline().contains("RSS grows"), f.headline());
        assertEquals(2, f.growth().signals().size());
        assertEquals(Verdict.STABLE, f.growth().signals().get(1).verdict(), f.growth().signals().get(1).reason());
    }

    @Test
    void aFlatProcessWithAnUndecidedSecondarySignalIsStable() throws Exception {
        Path csv = tmp.resolve("flat.csv");
        Series rss = series("process.rss", "total", null, 500 * MB, 0, 0.5 * MB, 30, 15);
        try (SeriesCsv.Writer w = new SeriesCsv.Writer(csv, List.of(SeriesCsv.Column.total("process.rss", "bytes"),
                SeriesCsv.Column.total("jvm.metaspace.used", "bytes")))) {
            for (int i = 0; i < rss.size(); i++) {
                // metaspace seen only five times: undecided
                w.append(rss.timeMs()[i], i % 40 == 0 ? new double[] {rss.values()[i], 30 * MB} : new double[] {rss.values()[i], Double.NaN});
            }
        }
        Findings f = Analyzer.standard("test").analyze(List.of(csv));
        assertEquals(Verdict.INCONCLUSIVE, f.growth().signals().get(1).verdict(), f.growth().signals().get(1).reason());
        assertEquals(Verdict.STABLE, f.verdict());
        assertTrue(f.headline().startsWith("No leak: heap and resident memory are flat"), f.headline());
    }

    @Test
    void nothingButStableSignalsSaysSo() {
        FindingsBuilder b = new FindingsBuilder();
        b.add(series("process.rss", "total", null, 500 * MB, 0, 0.5 * MB, 30, 12));
        new GrowthStage().apply(b);
        assertEquals(Verdict.STABLE, fit(b, "process.rss").verdict(), fit(b, "process.rss").reason());
        assertTrue(b.headline.startsWith("No leak"), b.headline);
        assertTrue(b.growth.attribution().isEmpty());
    }
}
