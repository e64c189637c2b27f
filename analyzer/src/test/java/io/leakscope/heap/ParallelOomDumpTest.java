package io.leakscope.heap;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Heap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dump users bring most: the one {@code -XX:+HeapDumpOnOutOfMemoryError} writes. From JDK 21 on the JVM
 * writes it on several threads (3/8 of the cores, at most the collector's active workers), each its own regions into a
 * file of its own, then merges the files: the objects come in runs of addresses rather than one. A real JVM runs out of
 * memory here, and the analysis must find every array it held, and what held them.
 */
class ParallelOomDumpTest {
    @TempDir
    Path tmp;

    /**
     * Puts 8 MB in a list of its own, a local variable, then fills {@link #KEEP} with 64 KB arrays until the heap
     * is full, and says how many it held.
     */
    public static final class FillTheHeap {
        static final List<long[]> KEEP = new ArrayList<>();

        public static void main(String[] args) {
            List<int[]> local = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                local.add(new int[16384]);
            }
            try {
                while (true) {
                    KEEP.add(new long[8192]); // where main is when the heap is full
                }
            } catch (OutOfMemoryError e) {
                int held = KEEP.size(); // the dump was written when the allocation failed: it holds these
                KEEP.clear();
                System.out.println("held " + held + " and " + local.size());
            }
        }
    }

    @Test
    void anOutOfMemoryDumpWrittenInParallelIsReadWhole() throws Exception {
        Optional<Path> jdk = TestJdks.from(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ installed next to this one");
        Path dump = tmp.resolve("oom.hprof");
        Path log = tmp.resolve("heapdump.log");
        // it takes 3/8 of the cores: ActiveProcessorCount makes this 2-core machine an 8-core server's 3 threads
        Process p = new ProcessBuilder(jdk.get().resolve("bin/java").toString(), "-Xmx64m", "-XX:+UseG1GC",
                "-XX:ActiveProcessorCount=8",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dump, "-Xlog:heapdump:file=" + log,
                "-cp", System.getProperty("java.class.path"), FillTheHeap.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("held (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long held = Long.parseLong(m.group(1));
        String said = Files.readString(log);
        java.util.regex.Matcher threads = java.util.regex.Pattern.compile("actual dump threads (\\d+), parallelism true")
                .matcher(said);
        assertTrue(threads.find() && Integer.parseInt(threads.group(1)) >= 2, said); // 2: G1's active workers

        HeapGraph g = HprofReader.read(dump);
        assertEquals(List.of(), g.warnings);
        assertTrue(g.layout.fromAddresses() && g.layout.addressOrder(), g.layout.describe());
        long arrays = 0;
        for (int o = 0; o < g.objectCount; o++) {
            if (g.kind[o] == HeapGraph.PRIMITIVE_ARRAY && g.classes.get(g.classOf[o]).name.equals("long[]")
                    && g.shallow[o] == 16 + 8 * 8192) {
                arrays++;
            }
        }
        assertEquals(held, arrays);

        Findings f = Analyzer.standard("test").analyze(List.of(dump));
        Heap.LeakSuspect top = f.heap().suspects().get(0);
        assertTrue(top.pathFromRoot().toString().contains("FillTheHeap") && top.pathFromRoot().toString()
                .contains(".KEEP → java.util.ArrayList"), top.toString());
        Heap.ClassRow kept = top.accumulated().get(0);
        assertEquals("long[]", kept.className());
        assertEquals(held, kept.count());
        assertEquals(held * (16 + 8 * 8192), kept.shallowBytes());
        assertFalse(f.heap().dumps().get(0).partial());
        // the suspect is a JDK class: its holder names the code, in the findings, the headline and what to do
        String keep = "held by the static field io.leakscope.heap.ParallelOomDumpTest$FillTheHeap.KEEP";
        assertEquals(keep, top.heldBy());
        assertTrue(f.recommendations().stream().anyMatch(r -> r.title().equals("Leak suspect: java.util.ArrayList, "
                + keep)), f.recommendations().toString());
        assertTrue(f.headline().contains("Biggest suspect: One instance of java.util.ArrayList, held by the static field"
                + " io.leakscope.heap.ParallelOomDumpTest$FillTheHeap.KEEP, retains "), f.headline());
        // the other list is a local variable: the dump's stack traces name the method and the line it was at
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/leakscope/heap/ParallelOomDumpTest.java"));
        int line = 1 + source.indexOf(source.stream().filter(l -> l.contains("// where main is when the heap is full"))
                .findFirst().orElseThrow());
        String method = "io.leakscope.heap.ParallelOomDumpTest$FillTheHeap.main(ParallelOomDumpTest.java:" + line + ")";
        Heap.LeakSuspect local = f.heap().suspects().get(1);
        assertTrue(local.description().startsWith("One instance of java.util.ArrayList, held by a local variable of "
                + method + ", retains "), local.description());
        assertEquals("held by a local variable of " + method, local.heldBy());
        assertEquals("GC root (Java frame in " + method + "): java.util.ArrayList", local.pathFromRoot().get(0));
        assertEquals("int[]", local.accumulated().get(0).className());
        assertEquals(128, local.accumulated().get(0).count());
    }
}
