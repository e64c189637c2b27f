package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object sizes follow the layout the dumped JVM used, read off the dump's addresses, and each instance class's
 * size what its instances' neighbours in the dump say: checked against HotSpot's own class histogram (jcmd
 * GC.class_histogram, which counts each object at its real size) of the very JVM that wrote the dump, for every
 * instance class both list, under every layout flag: compressed or full references and class pointers, a wider
 * object alignment, and JDK 24+ compact object headers.
 */
class ObjectLayoutTest {
    @TempDir
    Path tmp;


    @Test
    void sizesAreTheJvmsOwnUnderEveryLayout() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        // JDK 17's class histogram counts the mirrors the dump lists: their bytes are compared too
        assertTrue(check(home, new ObjectLayout(12, 4, 8, 16, 16), 148_040));
        assertTrue(check(home, new ObjectLayout(12, 4, 16, 16, 16), 164_048, "-XX:ObjectAlignmentInBytes=16"));
        // JDK 15+ keeps compressed class pointers without compressed references
        assertTrue(check(home, new ObjectLayout(12, 8, 8, 16, 16), 160_048, "-XX:-UseCompressedOops"));
        // full class pointers: JDK 8-21 start every array's elements at a word boundary
        assertTrue(check(home, new ObjectLayout(16, 4, 8, 24, 24), 156_056, "-XX:-UseCompressedClassPointers"));
        assertTrue(check(home, new ObjectLayout(16, 8, 8, 24, 24), 168_056, "-XX:-UseCompressedOops",
                "-XX:-UseCompressedClassPointers"));
    }

    /**
     * Serial, Parallel and G1 dump a region's objects by address; ZGC and Shenandoah in the order their heap walk
     * finds them, where an instance's next object is often one allocated a little later, as often for every
     * instance of a class: measured as before, ZGC's Class$ReflectionData came to 160 bytes for 104 and
     * CopyOnWriteArrayList to 48 for 32. There, HotSpot's injected fields and the mirrors' are modelled, and only
     * the JDK's @Contended classes are measured above their layout.
     */
    @Test
    void sizesAreTheJvmsOwnUnderEveryCollector() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        assertTrue(check(home, new ObjectLayout(12, 4, 8, 16, 16), 148_040, "-XX:+UseParallelGC"));
        // JDK 17's G1 histogram counts mirrors the dump does not list: sizes compared per class only
        check(home, new ObjectLayout(12, 4, 8, 16, 16), 148_040, "-XX:+UseG1GC");
        // ZGC has no compressed references
        assertTrue(check(home, new ObjectLayout(12, 8, 8, 16, 16), 160_048, "-XX:+UseZGC"));
        assertTrue(check(home, new ObjectLayout(12, 4, 8, 16, 16), 148_040, "-XX:+UseShenandoahGC"));
        Optional<Path> jdk = TestJdks.from(24);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(), "no JDK 24+ installed next to this one");
        // JDK 25's Class declares its protection domain and signers, its ResolvedMethodName its holder
        assertTrue(check(jdk.get(), new ObjectLayout(12, 8, 8, 16, 16), 160_048, "-XX:+UseZGC"));
        check(jdk.get(), new ObjectLayout(8, 8, 8, 12, 16), 144_040, "-XX:+UseZGC", "-XX:+UseCompactObjectHeaders");
        check(jdk.get(), new ObjectLayout(8, 4, 8, 12, 16), 132_040, "-XX:+UseShenandoahGC", "-XX:+UseCompactObjectHeaders");
        check(jdk.get(), new ObjectLayout(8, 4, 8, 12, 16), 132_040, "-XX:+UseParallelGC", "-XX:+UseCompactObjectHeaders");
    }

    /**
     * A JVM started from an AOT cache (JDK 24+, {@code -XX:AOTCache}, as services start faster on JDK 25): the
     * classes it loads come linked from the cache, with objects archived beside them that the heap takes in. Made
     * as JEP 483 makes it, a training run (the test program, then exit) and a creating one. Every class at its size
     * under the collectors the cache serves (by hand, JDK 26 and 27 too: G1, Serial, Parallel, Shenandoah; a cache
     * made under G1 is refused under ZGC).
     */
    @Test
    void sizesAreTheJvmsOwnWithAnAotCache() throws Exception {
        Optional<Path> jdk = TestJdks.from(25);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(), "no JDK 25+ installed next to this one");
        // the cache takes classes from jars only
        Path jar = tmp.resolve("dump-target.jar");
        Path classes = Path.of(DumpTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.list(classes.resolve("io/leakscope/heap"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("DumpTarget")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("io/leakscope/heap/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Path conf = tmp.resolve("dump-target.aotconf");
        Path cache = tmp.resolve("dump-target.aot");
        try (DumpTargetProcess t = new DumpTargetProcess(jdk.get(), jar.toString(), new String[] {"-XX:+UseG1GC",
                "-XX:AOTMode=record", "-XX:AOTConfiguration=" + conf})) {
            t.command("grow 10");
        }
        Process create = new ProcessBuilder(jdk.get().resolve("bin/java").toString(), "-XX:+UseG1GC",
                "-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf, "-XX:AOTCache=" + cache, "-cp", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, create.waitFor(), "creating the AOT cache");
        assertTrue(Files.size(cache) > 0);
        ObjectLayout plain = new ObjectLayout(12, 4, 8, 16, 16);
        for (String gc : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseShenandoahGC")) {
            // -XX:AOTMode=on: fail, rather than start without the cache
            check(jdk.get(), jar.toString(), plain, 148_040, gc, "-XX:AOTMode=on", "-XX:AOTCache=" + cache);
        }
    }

    /**
     * JDK 21, the LTS between the two above, which scripts/install-test-deps.sh unpacks from Debian trixie: every
     * instance class at its size under each collector, and the mirrors, which carry an int more than JDK 17's
     * (8 bytes a mirror with 8-byte references: 897 of them 7,176 bytes short before it was modelled). Without
     * compressed class pointers JDK 21 starts every array's elements at byte 24 (JDK 22 moved small ones to 20).
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk21() throws Exception {
        Optional<Path> jdk = Optional.of(installed(21));
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout wide = new ObjectLayout(12, 8, 8, 16, 16);
        // the JVM counts mirrors the dump does not list under these: per class only
        check(jdk.get(), compressed, 148_040, "-XX:+UseParallelGC");
        check(jdk.get(), compressed, 148_040, "-XX:+UseG1GC");
        assertTrue(check(jdk.get(), wide, 160_048, "-XX:+UseZGC"));
        assertTrue(check(jdk.get(), wide, 160_048, "-XX:+UseZGC", "-XX:+ZGenerational"));
        assertTrue(check(jdk.get(), compressed, 148_040, "-XX:+UseShenandoahGC"));
        assertTrue(check(jdk.get(), wide, 160_048, "-XX:-UseCompressedOops"));
        // KEEP's 1,000 byte[100] are 128 bytes each here, 120 from JDK 22 on
        check(jdk.get(), new ObjectLayout(16, 8, 8, 24, 24), 168_056, "-XX:-UseCompressedOops",
                "-XX:-UseCompressedClassPointers");
    }

    @Test
    void sizesAreTheJvmsOwnWithCompactObjectHeaders() throws Exception {
        Optional<Path> jdk = TestJdks.from(24);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(), "no JDK 24+ installed next to this one");
        check(jdk.get(), new ObjectLayout(8, 4, 8, 12, 16), 132_040, "-XX:+UseCompactObjectHeaders");
        check(jdk.get(), new ObjectLayout(8, 8, 8, 12, 16), 144_040, "-XX:+UseCompactObjectHeaders",
                "-XX:-UseCompressedOops");
        // JDK 22+ start the elements of an array of 1-4 byte elements right after its length
        check(jdk.get(), new ObjectLayout(16, 8, 8, 20, 24), 160_056, "-XX:-UseCompressedOops",
                "-XX:-UseCompressedClassPointers");
    }

    /**
     * A virtual thread's frames, while it is unmounted, live in a {@code jdk.internal.vm.StackChunk} whose stack the
     * VM appends to its fields: HPROF lists only the fields (32 bytes), the JVM counts the stack and its bitmap
     * (2,315 bytes on average here). 2,000 virtual threads parked 5 to 44 frames deep, on JDK 21+, under several
     * layouts and collectors: the chunks' bytes must be HotSpot's, as its class histogram counts them, and the
     * virtual threads' and their continuations' sizes too.
     */
    @Test
    void virtualThreadStacksAreSizedAsTheJvmSizesThem() throws Exception {
        Optional<Path> jdk = TestJdks.from(21);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ installed next to this one");
        Path src = tmp.resolve("VirtualThreads.java");
        Files.writeString(src, String.join("\n",
                "import java.util.concurrent.CountDownLatch;",
                "public class VirtualThreads {",
                "    static final CountDownLatch PARKED = new CountDownLatch(2000);",
                "    static void deep(int n, byte[] b) throws Exception {",
                "        if (n == 0) { PARKED.countDown(); Thread.sleep(600_000); } else { deep(n - 1, b); }",
                "    }",
                "    public static void main(String[] a) throws Exception {",
                "        for (int i = 0; i < 2000; i++) {",
                "            int d = 5 + i % 40;",
                "            Thread.ofVirtual().start(() -> { try { deep(d, new byte[64]); } catch (Exception e) { } });",
                "        }",
                "        PARKED.await();",
                "        System.out.println(\"ready\");",
                "        System.in.read();",
                "    }",
                "}", ""));
        TestJdks.javac(jdk.get(), tmp, src);
        for (String[] flags : new String[][] {{}, {"-XX:-UseCompressedOops"}, {"-XX:+UseZGC"},
                {"-XX:+UseShenandoahGC"}}) {
            List<String> cmd = new ArrayList<>(List.of(jdk.get().resolve("bin/java").toString(), "-Xmx256m"));
            cmd.addAll(List.of(flags));
            cmd.addAll(List.of("-cp", tmp.toString(), "VirtualThreads"));
            Process target = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String what = String.join(" ", flags);
            try {
                java.io.BufferedReader lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", lines.readLine(), what);
                Path dump = tmp.resolve("vt-" + Math.abs(what.hashCode()) + ".hprof");
                Process jcmd = new ProcessBuilder(jdk.get().resolve("bin/jcmd").toString(), Long.toString(target.pid()),
                        "GC.heap_dump", dump.toString()).redirectErrorStream(true).start();
                String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0, said);
                Map<String, long[]> histogram = classHistogram(jdk.get(), target.pid());
                long[] jvm = histogram.get("jdk.internal.vm.StackChunk");
                HeapGraph g = HprofReader.read(dump);
                boolean wide = what.contains("ZGC") || what.contains("-UseCompressedOops");
                assertEquals(new ObjectLayout(12, wide ? 8 : 4, 8, 16, 16), g.layout.layout(),
                        what + ": " + g.layout.describe());
                // the virtual threads themselves (with the fields HotSpot injects into Thread) and their
                // continuations: an instance's size is its class's
                for (String c : List.of("java.lang.VirtualThread", "java.lang.VirtualThread$VThreadContinuation")) {
                    long n = 0;
                    long b = 0;
                    for (int o = 0; o < g.objectCount; o++) {
                        if (g.kind[o] == HeapGraph.INSTANCE && g.className(o).equals(c)) {
                            n++;
                            b += g.shallow[o];
                        }
                    }
                    long[] h = histogram.get(c);
                    assertTrue(n >= 2000 && h != null, what + ": " + c + " " + n);
                    assertEquals(h[1] / h[0], b / n, what + ": " + c);
                }
                long chunks = 0;
                long bytes = 0;
                for (int o = 0; o < g.objectCount; o++) {
                    if (g.kind[o] == HeapGraph.INSTANCE && g.className(o).equals(HprofReader.STACK_CHUNK)) {
                        chunks++;
                        bytes += g.shallow[o];
                    }
                }
                assertEquals(jvm[0], chunks, what);
                assertTrue(chunks >= 2000, what + ": " + chunks);
                // exact under Shenandoah too, since the layout is checked against the instances' distances: its
                // sample of this dump, five records a virtual thread, matched 8-byte headers and references best
                // (the chunks then -0.1 to +0.7% off)
                assertEquals(jvm[1], bytes, what);
            } finally {
                target.destroyForcibly().waitFor();
            }
        }
    }

    /** Ids that are not addresses of neighbouring objects: the layout is guessed from the highest id, and says so. */
    @Test
    void idsThatAreNotAddressesKeepTheGuess() {
        ObjectLayout.Sample s = new ObjectLayout.Sample();
        Random r = new Random(7);
        long id = 1 << 20;
        while (!s.full()) {
            id += 8 * (1 + r.nextInt(40));
            s.array(id, r.nextInt(50), 1);
        }
        ObjectLayout guessed = ObjectLayout.guess(id);
        ObjectLayout.Inferred got = ObjectLayout.infer(List.of(s), c -> -1, guessed);
        assertFalse(got.fromAddresses(), got.describe());
        assertEquals(guessed, got.layout());
        assertTrue(got.describe().contains("guessed"), got.describe());
        // the same arrays laid end to end as 64-bit HotSpot with compressed class pointers lays them, every third
        // an array of references (which alone tell the reference size, which the guess has wrong)
        ObjectLayout.Sample packed = new ObjectLayout.Sample();
        ObjectLayout jvm = new ObjectLayout(12, 4, 8, 16, 16);
        id = 1 << 20;
        for (int i = 0; i < ObjectLayout.Sample.CAPACITY; i++) {
            long length = r.nextInt(50);
            boolean refs = i % 3 == 0;
            packed.array(id, length, refs ? 0 : 1);
            id += refs ? jvm.objectArraySize(length) : jvm.primitiveArraySize(length, 1);
        }
        got = ObjectLayout.infer(List.of(packed), c -> -1, ObjectLayout.guess(64L << 30));
        assertTrue(got.fromAddresses(), got.describe());
        assertTrue(got.addressOrder(), got.describe());
        assertEquals(jvm, got.layout());
        // the same objects as a traversal lists them: in runs of three by address, each run's next three backwards
        ObjectLayout.Sample walked = new ObjectLayout.Sample();
        for (int i = 0; i + 6 <= packed.count; i += 6) {
            for (int j : new int[] {i, i + 1, i + 2, i + 5, i + 4, i + 3}) {
                walked.array(packed.ids[j], packed.args[j], packed.elementSizes[j]);
            }
        }
        got = ObjectLayout.infer(List.of(walked), c -> -1, ObjectLayout.guess(64L << 30));
        assertTrue(got.fromAddresses(), got.describe());
        assertEquals(jvm, got.layout());
        assertFalse(got.addressOrder(), got.describe());
        assertTrue(got.describe().contains("order the collector found them"), got.describe());
    }

    /**
     * JDK 26+'s ZGC lists each page's objects downwards: the lower of two neighbouring records is sized by the
     * distance to the upper either way. And a sample of primitive arrays alone, whose sizes do not depend on the
     * reference size, ties 4- and 8-byte references: the guess from the highest address breaks the tie (JDK
     * 27's ZGC dump: compact headers, 8-byte references, taken for 4-byte ones before).
     */
    @Test
    void objectsListedDownwardsAndReferenceSizeTies() {
        Random r = new Random(11);
        ObjectLayout compact = new ObjectLayout(8, 8, 8, 12, 16);
        long[] ids = new long[ObjectLayout.Sample.CAPACITY];
        long[] lengths = new long[ids.length];
        long id = 5L << 40; // where ZGC puts its heap: far above 32 GB
        for (int i = 0; i < ids.length; i++) {
            lengths[i] = r.nextInt(60);
            ids[i] = id;
            id += compact.primitiveArraySize(lengths[i], 1);
        }
        ObjectLayout.Sample down = new ObjectLayout.Sample();
        for (int i = ids.length - 1; i >= 0; i--) {
            down.array(ids[i], lengths[i], 1);
        }
        ObjectLayout.Inferred got = ObjectLayout.infer(List.of(down), c -> -1, ObjectLayout.guess(id));
        assertTrue(got.fromAddresses(), got.describe());
        assertEquals(compact, got.layout());
        assertFalse(got.addressOrder(), got.describe());
        assertEquals(ids.length - 1, got.matched());
        // the same arrays in a heap below 32 GB: 4-byte references
        ObjectLayout.Sample low = new ObjectLayout.Sample();
        for (int i = 0; i < ids.length; i++) {
            low.array(ids[i] - (5L << 40) + (1L << 30), lengths[i], 1);
        }
        got = ObjectLayout.infer(List.of(low), c -> -1, ObjectLayout.guess(2L << 30));
        assertEquals(new ObjectLayout(8, 4, 8, 12, 16), got.layout());
        assertTrue(got.addressOrder(), got.describe());
    }

    /**
     * A sample that is one structure repeated (as the first records of a Shenandoah dump of 2,000 virtual threads
     * were), whose distances a layout too big matches best: instances of a class of seven references 72 bytes
     * apart, which 8-byte headers and references size at 72 and the JVM's layout at 48. Where pass 1 saw one of
     * them 48 bytes from the object above it, no layout that makes the class bigger is the dump's.
     */
    @Test
    void aLayoutThatOverlapsObjectsIsNotTheDumps() {
        ObjectLayout.Sample s = new ObjectLayout.Sample();
        long id = 1L << 20;
        for (int i = 0; i < 1000; i++) {
            s.instance(id, 1);
            id += 72;
            s.instance(id, 2);
            id += 16;
        }
        ObjectLayout.Fields fields = c -> c == 1 ? 31L << 32 | 7 : 4L << 32 | 1;
        ObjectLayout guessed = ObjectLayout.guess(2L << 30);
        ObjectLayout.Inferred trap = ObjectLayout.infer(List.of(s), fields, guessed);
        assertEquals(new ObjectLayout(8, 8, 8, 12, 16), trap.layout());
        assertEquals(1999, trap.matched()); // every pair: 2,000 records
        ObjectLayout.Inferred got = ObjectLayout.infer(List.of(s), fields, guessed, new long[] {1, 2},
                new long[] {48, 16});
        assertEquals(new ObjectLayout(12, 4, 8, 16, 16), got.layout(), got.describe());
        assertEquals(999, got.matched()); // the pairs of class 2 (16 bytes either way)
        assertTrue(got.fromAddresses());
        // bounds no layout keeps (ids that are not addresses): they decide nothing
        ObjectLayout.Inferred none = ObjectLayout.infer(List.of(s), fields, guessed, new long[] {1, 2},
                new long[] {8, 8});
        assertEquals(trap.layout(), none.layout());
    }

    /**
     * Ids that are not addresses, over 200 random mixes of gaps, instance and array sizes (3,000 by hand with
     * -Dseeds=3000): where under a fifth of the pairs match, a layout is taken only by its lift over chance (which
     * lets JDK 26's Shenandoah dumps, 19% of pairs, be read), never one that chance made: random ids give a lift of
     * 0.9-1.22. Until 2026-12-01 the rule was twice the matches of any layout of another header or reference size,
     * which seed 2280 passed (1,256 of 16,383 pairs, 8-byte headers), and JDK 26's Shenandoah dumps did not.
     */
    @Test
    void randomIdsNeverWinByTheMargin() {
        for (int seed = 0; seed < Integer.getInteger("seeds", 200); seed++) {
            Random r = new Random(seed);
            ObjectLayout.Sample s = new ObjectLayout.Sample();
            long id = 1 << 20;
            int maxGap = 2 + r.nextInt(60);
            int maxLength = 1 + r.nextInt(200);
            boolean instances = r.nextBoolean();
            while (!s.full()) {
                id += 8 * (1 + r.nextInt(maxGap));
                if (instances && r.nextBoolean()) {
                    s.instance(id, r.nextInt(20));
                } else {
                    s.array(id, r.nextInt(maxLength), 1 << r.nextInt(4));
                }
            }
            // class c: 4 to 28 field bytes, 0 to 2 references
            ObjectLayout.Inferred got = ObjectLayout.infer(List.of(s), c -> ((c % 7) * 4 + 4L) << 32 | (c % 3),
                    ObjectLayout.guess(id));
            assertTrue(!got.fromAddresses() || got.matched() * 5L >= got.pairs(), seed + ": " + got.describe());
        }
    }

    /**
     * A class's measured size (the smallest distance from an instance to the next object, an upper bound of its
     * size) replaces its layout's when it is below it, when two instances and half of those seen agree on it,
     * or, before JDK 15's layout, when it is at most 16 bytes over; a lone instance followed by a mirror-sized gap
     * does not, nor one 16 bytes over where the layout models every field.
     */
    @Test
    void measurementsOverruleTheLayoutOnlyOnEvidence() {
        ObjectLayout l = new ObjectLayout(12, 4, 8, 16, 16);
        assertEquals(24, l.instanceSize(24, 0, 0, 0, 0, true, 16));       // no instance seen
        assertEquals(24, l.instanceSize(24, 0, 24, 5, 9, true, 16));      // agrees
        assertEquals(16, l.instanceSize(24, 0, 16, 1, 1, true, 16));      // below: a bound, taken from one instance
        assertEquals(368, l.instanceSize(112, 0, 368, 8, 8, true, 16));   // JDK 17's Thread: @Contended padding
        assertEquals(32, l.instanceSize(24, 0, 32, 1, 1, true, 16));      // one injected field, one instance
        assertEquals(24, l.instanceSize(24, 0, 216, 1, 1, true, 16));     // one instance, then a mirror-sized gap
        assertEquals(24, l.instanceSize(24, 0, 216, 2, 9, true, 16));     // two of nine: gaps now and then
        assertEquals(216, l.instanceSize(24, 0, 216, 5, 9, true, 16));    // five of nine: the class's size
        // a Thread subclass: 256 inherited, 8 of its own
        assertEquals(376, l.instanceSize(112, 256, 376, 1, 1, true, 16));
        assertEquals(368, l.instanceSize(112, 256, 0, 0, 0, true, 16));   // inherited only
        assertEquals(24, l.instanceSize(24, 0, 20, 3, 3, true, 16));      // not a multiple of the alignment
        // not in address order: above the layout only by less than the smallest object, which nothing else fits in
        assertEquals(104, l.instanceSize(104, 0, 160, 40, 50, false, 16)); // ZGC's Class$ReflectionData
        assertEquals(32, l.instanceSize(32, 0, 48, 3, 3, false, 16));      // CopyOnWriteArrayList: 16 over
        assertEquals(32, l.instanceSize(24, 0, 32, 1, 1, false, 16));      // a field
        assertEquals(16, l.instanceSize(24, 0, 16, 1, 1, false, 16));      // below: a bound, in any order
        ObjectLayout compact = new ObjectLayout(8, 4, 8, 12, 16);
        assertEquals(24, compact.instanceSize(24, 0, 32, 1, 1, false, 16)); // an 8-byte object fits there
        // where the layout models every field HotSpot adds (JDK 15 on: no slack), a lone instance's larger distance
        // is a gap (JDK 28's CDS objects in a heap under 4 GB, 16 bytes apart); two instances that agree are the
        // class's size
        assertEquals(32, l.instanceSize(32, 0, 48, 1, 1, true, 0));
        assertEquals(24, l.instanceSize(24, 0, 32, 1, 1, false, 0));
        assertEquals(16, l.instanceSize(24, 0, 16, 1, 1, true, 0));       // below: still a bound
        assertEquals(32, l.instanceSize(24, 0, 32, 2, 3, true, 0));
        assertEquals(32, l.instanceSize(24, 0, 32, 3, 3, false, 0));
        // a class the JDK pads with @Contended that is not laid out field by field (before JDK 15's layout, or a
        // superclass with fields): one alignment unit of slack (JDK 21's ForkJoinPool under ZGC, by its fields and
        // the padding: 384, 392 in the JVM)
        assertEquals(392, l.instanceSize(384, 0, 392, 1, 1, true, 8));
        assertEquals(384, l.instanceSize(384, 0, 400, 1, 1, true, 8));
        ObjectLayout.Neighbours a = new ObjectLayout.Neighbours();
        a.size(2);
        a.observe(0, 40);
        a.observe(0, 24);
        a.observe(0, 24);
        a.observe(0, -64); // the next object in another region below: nothing learnt
        ObjectLayout.Neighbours b = new ObjectLayout.Neighbours();
        b.size(1);
        b.observe(0, 24);
        b.observe(0, 32);
        a.add(b);
        assertEquals(24, a.min[0]);
        assertEquals(3, a.count[0]);
        assertEquals(5, a.seen[0]);
        assertEquals(0, a.seen[1]);
        assertEquals(24, a.smallestGap()); // class 1 had no instance with a next object above it
    }

    /**
     * HotSpot's field layout before JDK 15, which the sizes follow where the dump's java.lang.Class has no
     * classData: each class's fields start at a reference-size boundary (JDK 8's and 11's class histograms agree,
     * {@link #sizesAreTheJvmsOwnOnJdk8}).
     */
    @Test
    void fieldsAreLaidOutAsBeforeJdk15() {
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        int[] none = {0, 0, 0, 0, 0};
        int[] aBoolean = {0, 0, 0, 1, 0};
        // AllPermissionCollection: a boolean, its superclass's boolean 3 bytes before it
        assertEquals(24, compressed.instanceSize(compressed.fieldsEndBefore15(List.of(none, aBoolean, aBoolean)) - 12));
        int[] anInt = {0, 1, 0, 0, 0};
        assertEquals(16, compressed.instanceSize(compressed.fieldsEndBefore15(List.of(none, none, anInt)) - 12));
        // a long: at byte 16, the gap before it empty (java.lang.Long), or taken by an int
        assertEquals(24, compressed.fieldsEndBefore15(List.of(none, new int[] {1, 0, 0, 0, 0})));
        assertEquals(24, compressed.fieldsEndBefore15(List.of(none, new int[] {1, 1, 0, 0, 0})));
        assertEquals(28, compressed.fieldsEndBefore15(List.of(none, anInt, new int[] {1, 0, 0, 1, 0})));
        // JDK 13's ClassLoader, whose references go first and whose gaps stay empty: 14 references from byte 12,
        // its injected word at 72 (not 68), its boolean at 80; laid out as any other class, 80
        assertEquals(84, compressed.fieldsEndBefore15(List.of(new int[] {1, 0, 0, 1, 14, 1})));
        assertEquals(80, compressed.fieldsEndBefore15(List.of(new int[] {1, 0, 0, 1, 14, 0})));
        // ArrayList without compressed references: AbstractList's int, then its own int and reference from byte 24
        ObjectLayout full = new ObjectLayout(16, 8, 8, 24, 24);
        assertEquals(40, full.fieldsEndBefore15(List.of(none, none, anInt, new int[] {0, 1, 0, 0, 1})));
    }

    /**
     * Classes the JDK pads with {@code @Contended}, laid out field by field as from JDK 15: their fields' offsets
     * read off Unsafe.objectFieldOffset on JDK 17, 21 and 25 (the last field's end, the padding after it, aligned).
     * A gap the regular fields leave is not filled by a group's field, as a sum of the field bytes had it.
     */
    @Test
    void contendedClassesAreLaidOutFieldByField() {
        ObjectLayout wide = new ObjectLayout(12, 8, 8, 16, 16); // ZGC: 8-byte references
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        String pool = "java.util.concurrent.ForkJoinPool";
        // JDK 21: config (into the header's gap), four longs, runState, eight references from byte 56, not 52
        List<String> fjp21 = List.of("config", "stealCount", "threadIds", "keepAlive", "bounds", "runState", "queues",
                "registrationLock", "termination", "workerNamePrefix", "factory", "ueh", "saturate", "container", "ctl",
                "parallelism");
        int[] sizes21 = {4, 8, 8, 8, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 8, 4};
        assertEquals(392, laidOut(wide, pool, 21, fjp21, sizes21));       // ctl at 248, parallelism 256, then 128
        assertEquals(360, laidOut(compressed, pool, 21, fjp21, sizes21)); // ctl at 216, parallelism 224
        // JDK 25: five longs (the header's gap stays empty), nine references, ctl at 256
        List<String> fjp25 = List.of("runState", "keepAlive", "config", "stealCount", "threadIds", "termination",
                "saturate", "factory", "ueh", "container", "workerNamePrefix", "poolName", "delayScheduler", "queues",
                "ctl", "parallelism");
        int[] sizes25 = {8, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 4};
        assertEquals(400, laidOut(wide, pool, 25, fjp25, sizes25));
        // JDK 17's Thread: threadLocalRandom* behind the padding, at 264-280 (ZGC's 408)
        List<String> thread17 = List.of("name", "priority", "daemon", "interrupted", "stillborn", "eetop", "target",
                "group", "contextClassLoader", "inheritedAccessControlContext", "threadLocals",
                "inheritableThreadLocals", "stackSize", "tid", "threadStatus", "parkBlocker", "blocker", "blockerLock",
                "uncaughtExceptionHandler", "threadLocalRandomSeed", "threadLocalRandomProbe",
                "threadLocalRandomSecondarySeed");
        int[] sizesThread = {0, 4, 1, 1, 1, 8, 0, 0, 0, 0, 0, 0, 8, 8, 4, 0, 0, 0, 0, 8, 4, 4};
        assertEquals(408, laidOut(wide, "java.lang.Thread", 15, thread17, sizesThread));
        // padded as a class: its fields appended after 128 bytes (Striped64$Cell's long at 144, ZGC 280), and
        // BufferedSubscription's demand and waiting behind a padding of their own (472 with compressed references)
        assertEquals(280, laidOut(wide, "java.util.concurrent.atomic.Striped64$Cell", 19, List.of("value"),
                new int[] {8}));
        List<String> subscription = List.of("timeout", "head", "tail", "maxCapacity", "ctl", "array", "subscriber",
                "onNextHandler", "executor", "waiter", "pendingError", "next", "nextRetry", "demand", "waiting");
        assertEquals(472, laidOut(compressed, "java.util.concurrent.SubmissionPublisher$BufferedSubscription", 15,
                subscription, new int[] {8, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 8, 4}));
        // JDK 21's WorkQueue: stackPred, config, base, two references, then top, access, phase, source, nsteals
        List<String> queue21 = List.of("stackPred", "config", "base", "array", "owner", "top", "access", "phase",
                "source", "nsteals");
        assertEquals(320, laidOut(wide, pool + "$WorkQueue", 19, queue21, new int[] {4, 4, 4, 0, 0, 4, 4, 4, 4, 4}));
        // on JDK 17 phase stays with the regular fields (it fills the header's gap): top, source, nsteals at 176
        List<String> queue17 = List.of("phase", "stackPred", "config", "base", "array", "owner", "top", "source",
                "nsteals");
        assertEquals(320, laidOut(wide, pool + "$WorkQueue", 15, queue17, new int[] {4, 4, 4, 4, 0, 0, 4, 4, 4}));
    }

    /** Size 0 in {@code sizes}: a reference. */
    private static long laidOut(ObjectLayout layout, String className, int jdk, List<String> fields, int[] sizes) {
        boolean[] refs = new boolean[sizes.length];
        int[] groups = new int[sizes.length];
        int[] bytes = new int[sizes.length];
        for (int f = 0; f < sizes.length; f++) {
            refs[f] = sizes[f] == 0;
            bytes[f] = refs[f] ? layout.oop() : sizes[f];
            groups[f] = ObjectLayout.contendedGroup(className, fields.get(f), jdk, fields);
        }
        return layout.contendedInstanceSize(bytes, refs, groups);
    }

    /**
     * JDK 8 and 11, which scripts/install-test-deps.sh unpacks from Debian sid: DumpTarget's heap written in Java 8
     * (src/test/resources/io/leakscope/heap/legacy), compiled by the JDK's own javac, dumped by its JVM under each
     * of its collectors. JDK 8 to 14 drop compressed class pointers with compressed references, and start every
     * array's elements at a word boundary then; JDK 8's CMS walks its free lists' chunks among the objects.
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk8() throws Exception {
        Path jdk = installed(8);
        String cp = compileLegacyTarget(jdk);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout full = new ObjectLayout(16, 8, 8, 24, 24);
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseParallelGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseSerialGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseConcMarkSweepGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseG1GC"));
        assertTrue(check(jdk, cp, full, 168_064, "-XX:-UseCompressedOops")); // ArrayList: 40 bytes, as on JDK 11
        assertTrue(check(jdk, cp, new ObjectLayout(12, 4, 16, 16, 16), 164_048, "-XX:ObjectAlignmentInBytes=16"));
    }

    @Test
    void sizesAreTheJvmsOwnOnJdk11() throws Exception {
        Path jdk = installed(11);
        String cp = compileLegacyTarget(jdk);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseG1GC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseParallelGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseSerialGC"));
        // JDK 11 puts ArrayList's elementData at byte 32 there: 40 bytes a list, 32 on JDK 17
        assertTrue(check(jdk, cp, new ObjectLayout(16, 8, 8, 24, 24), 168_064, "-XX:-UseCompressedOops"));
        assertTrue(check(jdk, cp, new ObjectLayout(16, 8, 8, 24, 24), 168_064, "-XX:+UnlockExperimentalVMOptions",
                "-XX:+UseZGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UnlockExperimentalVMOptions", "-XX:+UseShenandoahGC"));
    }

    /**
     * JDK 13 (Ubuntu's, when scripts/install-test-deps.sh could read Ubuntu's archive): fields laid out as before JDK
     * 15, CMS's last release but one, ZGC and Shenandoah experimental, and MethodHandleNatives$CallSiteContext with
     * the long JDK 12 added beside its word.
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk13() throws Exception {
        Path jdk = optionalJdk(13);
        String cp = compileLegacyTarget(jdk);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout full = new ObjectLayout(16, 8, 8, 24, 24);
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseG1GC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseParallelGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseConcMarkSweepGC"));
        assertTrue(check(jdk, cp, full, 168_064, "-XX:-UseCompressedOops"));
        assertTrue(check(jdk, cp, full, 168_064, "-XX:+UnlockExperimentalVMOptions", "-XX:+UseZGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UnlockExperimentalVMOptions", "-XX:+UseShenandoahGC"));
    }

    /**
     * JDK 16 (Ubuntu's, as for 13): fields laid out as from JDK 15, Thread padded for @Contended, compressed class
     * pointers without compressed references (ZGC's arrays from byte 16).
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk16() throws Exception {
        Path jdk = optionalJdk(16);
        String cp = compileLegacyTarget(jdk);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout wide = new ObjectLayout(12, 8, 8, 16, 16);
        // the JVM counts mirrors the dump does not list under G1: per class only
        check(jdk, cp, compressed, 148_040, "-XX:+UseG1GC");
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseParallelGC"));
        assertTrue(check(jdk, cp, wide, 160_048, "-XX:+UseZGC"));
        assertTrue(check(jdk, cp, compressed, 148_040, "-XX:+UseShenandoahGC"));
        assertTrue(check(jdk, cp, wide, 160_048, "-XX:-UseCompressedOops"));
    }

    /**
     * JDK 18 (Ubuntu's, when scripts/install-test-deps.sh could read Ubuntu's archive), the last release whose
     * Thread is padded for @Contended, with a subclass's fields after the padding (DumpTarget's Flag, Ticker and
     * Runner), and its ZGC the single-generation one.
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk18() throws Exception {
        Path jdk = optionalJdk(18);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout wide = new ObjectLayout(12, 8, 8, 16, 16);
        check(jdk, compressed, 148_040, "-XX:+UseG1GC");
        assertTrue(check(jdk, compressed, 148_040, "-XX:+UseParallelGC"));
        assertTrue(check(jdk, wide, 160_048, "-XX:+UseZGC"));
        assertTrue(check(jdk, compressed, 148_040, "-XX:+UseShenandoahGC"));
        assertTrue(check(jdk, wide, 160_048, "-XX:-UseCompressedOops"));
    }

    /**
     * JDK 24 (Ubuntu's, as for 18): the first release with compact object headers (experimental there), and the
     * first whose ZGC is generational only; Thread with the fields JVMTI and JFR inject from JDK 19 on.
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk24() throws Exception {
        Path jdk = optionalJdk(24);
        ObjectLayout compressed = new ObjectLayout(12, 4, 8, 16, 16);
        ObjectLayout compact = new ObjectLayout(8, 4, 8, 12, 16);
        // the JVM counts mirrors the dump does not list under these: per class only
        check(jdk, compressed, 148_040, "-XX:+UseG1GC");
        check(jdk, compressed, 148_040, "-XX:+UseParallelGC");
        check(jdk, compressed, 148_040, "-XX:+UseShenandoahGC");
        check(jdk, compact, 132_040, "-XX:+UseSerialGC", "-XX:+UnlockExperimentalVMOptions",
                "-XX:+UseCompactObjectHeaders");
        // the mirrors too: JDK 24 declares Class.signers, and injects three references and no int (ObjectLayout)
        assertTrue(check(jdk, new ObjectLayout(12, 8, 8, 16, 16), 160_048, "-XX:+UseZGC"));
        assertTrue(check(jdk, new ObjectLayout(8, 8, 8, 12, 16), 144_040, "-XX:+UseZGC",
                "-XX:+UnlockExperimentalVMOptions", "-XX:+UseCompactObjectHeaders"));
    }


    /**
     * JDK 26 (Debian sid's, when scripts/install-test-deps.sh found it), the release before 27: the layout of JDK 25
     * by default; its Shenandoah dump lists objects so that under a fifth of the neighbouring records tell the
     * layout (19%), which the inference takes by its lift over chance (3.85, ObjectLayout.MIN_LIFT).
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk26() throws Exception {
        Path jdk = optionalJdk(26);
        ObjectLayout plain = new ObjectLayout(12, 4, 8, 16, 16);
        check(jdk, plain, 148_040, "-XX:+UseG1GC");
        check(jdk, new ObjectLayout(12, 8, 8, 16, 16), 160_048, "-XX:+UseZGC");
        check(jdk, plain, 148_040, "-XX:+UseShenandoahGC");
        check(jdk, new ObjectLayout(8, 4, 8, 12, 16), 132_040, "-XX:+UseShenandoahGC",
                "-XX:+UseCompactObjectHeaders");
    }

    /**
     * JDK 27, the newest release, which scripts/install-test-deps.sh unpacks from Debian sid while sid has it (the
     * test skips without it, under CI too): compact object headers by default, and ZGC listing each page's objects
     * downwards (as from JDK 26), where the layout used to be read from the few upward pairs (16-byte headers on
     * JDK 26) and the 4- and 8-byte references tied (4 on JDK 27).
     */
    @Test
    void sizesAreTheJvmsOwnOnJdk27() throws Exception {
        Path jdk = optionalJdk(27);
        ObjectLayout compact = new ObjectLayout(8, 4, 8, 12, 16);
        // JDK 25+ count mirrors the dump does not list: per class only
        check(jdk, compact, 132_040, "-XX:+UseG1GC");
        check(jdk, compact, 132_040, "-XX:+UseParallelGC");
        check(jdk, new ObjectLayout(8, 8, 8, 12, 16), 144_040, "-XX:+UseZGC");
        check(jdk, compact, 132_040, "-XX:+UseShenandoahGC");
        check(jdk, new ObjectLayout(12, 4, 8, 16, 16), 148_040, "-XX:+UseG1GC", "-XX:-UseCompactObjectHeaders");
    }

    /**
     * A JDK between the LTS releases (13, 16, 18, 24 from Ubuntu's archive, 26 and 27 from Debian sid or forky),
     * which scripts/install-test-deps.sh unpacks where an archive it reads has it: the test skips without, under CI
     * too.
     */
    private static Path optionalJdk(int version) throws IOException {
        Optional<Path> jdk = TestJdks.exactly(version);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(), "no JDK " + version
                + " (scripts/install-test-deps.sh unpacks one where an archive it reads has it)");
        return jdk.get();
    }

    /** The JDK of that version scripts/install-test-deps.sh unpacks: the test skips without it, fails under CI. */
    private static Path installed(int version) throws IOException {
        Optional<Path> jdk = TestJdks.exactly(version);
        if (jdk.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no JDK " + version + ": scripts/install-test-deps.sh unpacks one");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.isPresent(),
                "no JDK " + version + " (scripts/install-test-deps.sh unpacks one)");
        return jdk.get();
    }

    /** The legacy DumpTarget, compiled by that JDK's javac: its class path. */
    private String compileLegacyTarget(Path javaHome) throws Exception {
        Path src = tmp.resolve("legacy-src/DumpTarget.java");
        Files.createDirectories(src.getParent());
        try (var in = ObjectLayoutTest.class.getResourceAsStream("legacy/DumpTarget.java")) {
            Files.write(src, in.readAllBytes());
        }
        Path classes = tmp.resolve("legacy-" + TestJdks.version(javaHome));
        TestJdks.javac(javaHome, classes, src);
        return classes.toString();
    }

    private boolean check(Path javaHome, ObjectLayout expected, long keepRetained, String... flags) throws Exception {
        return check(javaHome, System.getProperty("java.class.path"), expected, keepRetained, flags);
    }

    /** Whether the JVM and the dump had as many class mirrors, whose bytes were then compared. */
    private boolean check(Path javaHome, String classPath, ObjectLayout expected, long keepRetained, String... flags)
            throws Exception {
        String what = javaHome.getFileName() + " " + String.join(" ", flags);
        int version = TestJdks.version(javaHome);
        List<String> all = new ArrayList<>(List.of("-XX:+DisplayVMOutputToStderr"));
        if (version >= 9) {
            all.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"));
        }
        all.addAll(List.of(flags));
        Path dump = tmp.resolve("layout-" + Math.abs(what.hashCode()) + ".hprof");
        Map<String, long[]> jvm;
        try (DumpTargetProcess t = new DumpTargetProcess(javaHome, classPath, all.toArray(new String[0]))) {
            t.dump(dump);
            jvm = classHistogram(javaHome, t.pid());
        }
        HeapGraph g = HprofReader.read(dump);
        assertTrue(g.layout.fromAddresses(), what + ": " + g.layout.describe());
        assertEquals(expected, g.layout.layout(), what + ": " + g.layout.describe());
        // a healthy dump: nothing to warn about (the CDS archive's roots array, whose objects of unloaded classes
        // the dump leaves out, is said in an info note: JDK 17 with G1, JDK 25 with compact headers)
        assertEquals(List.of(), g.warnings, what);
        assertEquals(g.danglingRefs > 0, !g.infos.isEmpty(), what + ": " + g.infos);
        boolean traversal = what.contains("ZGC") || what.contains("Shenandoah");
        assertEquals(!traversal, g.layout.addressOrder(), what + ": " + g.layout.describe());
        // per class: instances and bytes, as the dump gives them
        Map<String, long[]> ours = new HashMap<>();
        for (int o = 0; o < g.objectCount; o++) {
            if (g.kind[o] != HeapGraph.CLASS) {
                long[] row = ours.computeIfAbsent(g.classes.get(g.classOf[o]).name, k -> new long[2]);
                row[0]++;
                row[1] += g.shallow[o];
            }
        }
        // every instance class both list: HPROF leaves out what HotSpot injects (ClassLoader.loader_data,
        // MemberName.vmindex, Module.module_entry, …) and @Contended padding (JDK 17's Thread: 256 bytes), which
        // the instances' neighbours in the dump tell; java.lang.Class is left out, as its instances in the dump are
        // a few mirrors of primitive types, the JVM's all its mirrors (their sizes grow with their statics)
        int compared = 0;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, long[]> e : ours.entrySet()) {
            long[] h = jvm.get(e.getKey());
            long[] d = e.getValue();
            if (h == null || e.getKey().equals("java.lang.Class") || e.getKey().endsWith("[]")) {
                continue;
            }
            // an instance's size is its class's: compared per instance, whatever the JVM allocated in between (a
            // class the JDK pads with @Contended too, in a traversal too: laid out field by field)
            long over = h[1] / h[0] - d[1] / d[0];
            if (over != 0) {
                wrong.add(e.getKey() + " " + d[1] / d[0] + " bytes, the JVM's " + h[1] / h[0]);
            }
            compared++;
        }
        assertEquals(List.of(), wrong, what);
        assertTrue(compared >= 200, what + ": " + compared + " classes compared");
        List<String> named = new ArrayList<>(List.of("io.leakscope.heap.DumpTarget$Node", "java.lang.Thread",
                "io.leakscope.heap.DumpTarget$Flag", "io.leakscope.heap.DumpTarget$Ticker",
                "io.leakscope.heap.DumpTarget$Runner", "java.util.concurrent.Exchanger$Node"));
        if (version >= 9) {
            named.addAll(List.of("java.lang.invoke.MemberName", "java.lang.Module"));
        }
        if (!classPath.startsWith(tmp.resolve("legacy-").toString())) {
            named.add("java.lang.StackFrameInfo"); // DumpTarget.FRAME
            named.add("java.util.concurrent.SubmissionPublisher$BufferedSubscription"); // DumpTarget.PUBLISHER
        }
        for (String c : named) {
            assertTrue(ours.containsKey(c) && jvm.containsKey(c), what + ": " + c);
        }
        // arrays: DumpTarget's arrays of arrays are the only ones of their classes, and where the JVM and the dump
        // count as many short[] and double[] (nothing but DumpTarget makes them in such a small program), they are
        // the same arrays too
        int arrays = 0;
        for (String[] c : new String[][] {{"[[S", "short[][]"}, {"[[D", "double[][]"}, {"[S", "short[]"},
                {"[D", "double[]"}}) {
            long[] h = jvm.get(c[0]);
            long[] d = ours.get(c[1]);
            if (h != null && d != null && h[0] == d[0]) {
                assertEquals(h[1], d[1], what + ": " + c[1]);
                arrays++;
            }
        }
        assertTrue(arrays >= 3, what + ": " + arrays + " array classes compared");
        HeapAnalysis a = HeapAnalysis.of(g);
        int keep = HprofReaderTest.staticField(g, HprofReaderTest.classObject(g, "io.leakscope.heap.DumpTarget"),
                "KEEP");
        assertEquals(keepRetained, a.retainedOf(keep), what);
        if (classPath.startsWith(tmp.resolve("legacy-").toString())) {
            // the legacy target's main holds an array in a local: its root names the line main is at, dumping itself
            List<String> source = new String(ObjectLayoutTest.class.getResourceAsStream("legacy/DumpTarget.java")
                    .readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int line = 1 + source.indexOf(source.stream().filter(l -> l.contains(".dumpHeap(")).findFirst()
                    .orElseThrow());
            int held = -1;
            for (int o = 0; o < g.objectCount; o++) {
                if (g.kind[o] == HeapGraph.PRIMITIVE_ARRAY && g.shallow[o] == expected.primitiveArraySize(4321, 1)) {
                    assertEquals(-1, held, what + ": two byte[4321]");
                    held = o;
                }
            }
            assertEquals("GC root (Java frame in io.leakscope.heap.DumpTarget.main(DumpTarget.java:" + line
                    + ")): byte[]",
                    a.pathTo(held).get(0), what);
        }
        // class objects are their mirrors: a java.lang.Class instance and the class's statics. Where the JVM
        // counts the mirrors the dump lists (JDK 25 counts more), their bytes agree to within a few alignment
        // gaps: how the statics pack behind the instance's fields is not modelled
        long mirrors = 0;
        long mirrorBytes = 0;
        for (int o = 0; o < g.objectCount; o++) {
            if (g.kind[o] == HeapGraph.CLASS || (g.kind[o] == HeapGraph.INSTANCE
                    && g.classes.get(g.classOf[o]).name.equals("java.lang.Class"))) {
                mirrors++;
                mirrorBytes += g.shallow[o];
            }
        }
        long[] h = jvm.get("java.lang.Class");
        if (h[0] != mirrors) {
            return false;
        }
        assertEquals(h[1], mirrorBytes, h[1] / 500.0, what + ": class mirrors");
        return true;
    }

    /** jcmd PID GC.class_histogram of that JDK: class name → {instances, bytes}. */
    private static Map<String, long[]> classHistogram(Path javaHome, long pid) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(pid),
                "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Map<String, long[]> rows = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(out);
        while (m.find()) {
            rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertTrue(rows.size() > 100, out);
        return rows;
    }
}
