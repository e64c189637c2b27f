package io.leakscope.heap;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Note;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Reference's referent is no edge of the graph (the reference does not keep it), so what only references
 * hold is outside the analysis, in the unreachable part; its note says how much of that soft references hold
 * (which the JVM keeps until its heap runs short: a soft cache is a reason a heap grows), how much weak ones.
 */
class ReferencesTest {
    @TempDir
    Path tmp;

    /** A soft cache of 200 arrays of 16 KB, 100 arrays of 8 KB held weakly; dumps everything to args[0]. */
    public static final class Caches {
        static final Map<Integer, SoftReference<byte[]>> SOFT = new HashMap<>();
        static final List<WeakReference<byte[]>> WEAK = new ArrayList<>();
        static final byte[] STRONG = new byte[1 << 20];

        public static void main(String[] args) throws Exception {
            System.gc();
            for (int i = 0; i < 200; i++) {
                SOFT.put(i, new SoftReference<>(new byte[16 << 10]));
            }
            for (int i = 0; i < 100; i++) {
                WEAK.add(new WeakReference<>(new byte[8 << 10]));
            }
            // every object, unreachable ones too: a dump of live objects runs a GC first, which clears the weak
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(args[0],
                    false);
        }
    }

    /** A soft cache that grows by 2 MB between each of three dumps of its live objects (args: the three files). */
    public static final class GrowingSoftCache {
        static final List<SoftReference<byte[]>> CACHE = new ArrayList<>();

        public static void main(String[] args) throws Exception {
            for (String file : args) {
                for (int i = 0; i < 128; i++) {
                    CACHE.add(new SoftReference<>(new byte[16 << 10]));
                }
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(file,
                        true);
                Thread.sleep(20);
            }
        }
    }

    /**
     * Across dumps, what only soft references hold is no growing path (the diff is over strong references), but
     * its growth is said, with what to do: the JVM clears a soft cache only when its heap runs short.
     */
    @Test
    void aSoftCacheThatGrowsAcrossDumpsIsSaid() throws Exception {
        List<Path> dumps = List.of(tmp.resolve("soft-1.hprof"), tmp.resolve("soft-2.hprof"),
                tmp.resolve("soft-3.hprof"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GrowingSoftCache.class.getName()));
        dumps.forEach(d -> cmd.add(d.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);

        Findings f = Analyzer.standard("test").analyze(dumps);
        List<io.leakscope.findings.Heap.DumpSummary> d = f.heap().dumps();
        assertEquals(3, d.size());
        for (int i = 0; i < 3; i++) {
            // 128 more arrays of 16 KB each time, and the JVM's own softly held few
            long cache = (i + 1) * 128L * (16 + (16 << 10));
            assertTrue(d.get(i).softlyHeldBytes() >= cache && d.get(i).softlyHeldBytes() < cache + (512 << 10),
                    d.get(i).toString());
            assertTrue(d.get(i).reachableBytes() < (4 << 20), d.get(i).toString());
        }
        io.leakscope.findings.Recommendation r = f.recommendations().stream()
                .filter(x -> x.title().startsWith("A soft cache grows: ")).findFirst()
                .orElseThrow(() -> new AssertionError(f.recommendations().toString()));
        assertTrue(r.title().endsWith(" held only through SoftReferences"), r.title());
        assertTrue(r.detail().contains("-XX:SoftRefLRUPolicyMSPerMB"), r.detail());
        // where the cache is: the path to the soft reference that holds the most, through the program's static field
        List<String> path = d.get(2).softlyHeldPath();
        assertTrue(path != null && path.toString().contains("class io.leakscope.heap.ReferencesTest$GrowingSoftCache, "
                + ".CACHE → java.util.ArrayList"), String.valueOf(path));
        assertTrue(path.get(path.size() - 1).endsWith("java.lang.ref.SoftReference"), String.valueOf(path));
        assertTrue(r.detail().contains(" Where most of it is held in the newest dump: GC root"), r.detail());
        assertTrue(f.heap().growing().isEmpty(), f.heap().growing().toString());
        assertTrue(f.headline().startsWith("Not enough data to decide: no retained path grew in every interval between"
                + " the 3 heap dumps, but what only SoftReferences hold did ("), f.headline());
        assertTrue(f.headline().contains(": a soft cache, which the JVM keeps until its heap runs short)."),
                f.headline());
    }

    @Test
    void whatOnlyReferencesHoldIsSaidBySoftAndWeak() throws Exception {
        Path dump = tmp.resolve("caches.hprof");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Caches.class.getName(),
                dump.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);

        HeapGraph g = HprofReader.read(dump);
        int soft = 0;
        int weak = 0;
        for (int i = 0; i < g.referents.length; i += 3) {
            String array = g.className(g.referents[i + 1]);
            if (array.equals("byte[]") && g.shallow[g.referents[i + 1]] == 16 + (16 << 10)) {
                assertEquals(HeapGraph.SOFT, g.referents[i + 2]);
                soft++;
            } else if (array.equals("byte[]") && g.shallow[g.referents[i + 1]] == 16 + (8 << 10)) {
                assertEquals(HeapGraph.WEAK, g.referents[i + 2]);
                weak++;
            }
        }
        assertEquals(200, soft);
        assertEquals(100, weak);
        // a heap of more references than are kept: none are, and the dump says so
        int max = HprofReader.MAX_REFERENTS;
        HprofReader.MAX_REFERENTS = 100;
        try {
            HeapGraph many = HprofReader.read(dump);
            assertEquals(0, many.referents.length);
            assertTrue(many.infos.contains("more than 100 java.lang.ref.References hold a referent: what only soft and"
                    + " weak references hold is not told apart from the rest no GC root reaches"),
                    many.infos.toString());
        } finally {
            HprofReader.MAX_REFERENTS = max;
        }

        Findings f = Analyzer.standard("test").analyze(List.of(dump));
        String note = f.notes().stream().map(Note::message).filter(m -> m.contains("not reachable from a GC root"))
                .findFirst().orElseThrow(() -> new AssertionError(f.notes().toString()));
        Matcher s = Pattern.compile("([0-9.]+) MiB \\((\\d+) objects\\) held only through SoftReferences, which the"
                + " JVM keeps until its heap runs short").matcher(note);
        // the JVM's own soft and weak references (reflection data, class loading) hold a few dozen objects more
        assertTrue(s.find(), note);
        int n = Integer.parseInt(s.group(2));
        assertTrue(n >= 200 && n < 300, note);
        assertEquals(200 * (16 + (16 << 10)) / (1024.0 * 1024), Double.parseDouble(s.group(1)), 0.1, note);
        Matcher w = Pattern.compile("([0-9.]+) KiB \\((\\d+) objects\\) held only through WeakReferences").matcher(note);
        assertTrue(w.find(), note);
        n = Integer.parseInt(w.group(2));
        assertTrue(n >= 100 && n < 200, note);
        assertEquals(100 * (16 + (8 << 10)) / 1024.0, Double.parseDouble(w.group(1)), 20, note);
        // and none of it in the analysis: the strongly held megabyte is, the caches' 4 MB are not
        long reachable = f.heap().dumps().get(0).reachableBytes();
        assertTrue(reachable > (1 << 20) && reachable < (4 << 20), reachable + " reachable");
    }
}
