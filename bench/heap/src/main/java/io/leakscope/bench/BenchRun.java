package io.leakscope.bench;

import io.leakscope.findings.Heap;
import io.leakscope.heap.HeapAnalysis;
import io.leakscope.heap.HeapGraph;
import io.leakscope.heap.HprofReader;
import shark.CloseableHeapGraph;
import shark.HprofHeapGraph;
import shark.HprofIndex;
import shark.internal.ObjectDominators;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One measured run on one dump, in a fresh JVM (the script wraps it in /usr/bin/time for CPU and peak RSS).
 * {@code leakscope DUMP}: parse + exact dominators + retained sizes + summary + suspects.
 * {@code shark DUMP}: Shark 2.14 index + {@code ObjectDominators.renderDominatorTree} (its whole dominator tree).
 * Prints one line of key=value phase times.
 */
public final class BenchRun {
    /** Shark's and our dominator of every CounterExample$Obj, told apart by payload size. */
    static void compare(Path dump) throws Exception {
        try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(dump.toFile(), null,
                HprofIndex.Companion.defaultIndexedGcRootTags())) {
            String tree = new ObjectDominators().renderDominatorTree(graph, List.of(), 900, null, false);
            System.out.println("== Shark 2.14 ObjectDominators (nodes retaining >= 900 B, CounterExample part):");
            boolean in = false;
            for (String line : tree.split("\n")) {
                if (line.contains("CounterExample")) {
                    in = true;
                }
                if (in && (line.contains("CounterExample") || line.contains("byte[]"))) {
                    System.out.println(line);
                }
            }
        }
        HeapGraph g = HprofReader.read(dump);
        HeapAnalysis a = HeapAnalysis.of(g); // describeObjects reads the references
        System.out.println("== leakscope (exact):");
        a.describeObjects("io.leakscope.bench.CounterExample$Obj").forEach(System.out::println);
    }

    public static void main(String[] args) throws Exception {
        Path dump = Path.of(args[1]);
        long size = Files.size(dump);
        long t0 = System.nanoTime();
        if (args[0].equals("compare")) {
            compare(dump);
            return;
        }
        if (args[0].equals("leakscope")) {
            HeapGraph g = HprofReader.read(dump);
            long t1 = System.nanoTime();
            HeapAnalysis a = HeapAnalysis.releasingReferences(g);
            long t2 = System.nanoTime();
            Heap.DumpSummary s = a.summary(null);
            List<Heap.LeakSuspect> suspects = a.suspects();
            // what leakscope analyze also asks of every dump (the unreachable part's note walked 97 M objects
            // through a temp file, 47 s, unseen here while this left it out)
            a.unreachableSummary();
            a.secretHolders();
            long t3 = System.nanoTime();
            System.out.printf("tool=leakscope objects=%d refs=%d reachable_bytes=%d parse_s=%.2f parse_MBps=%.0f"
                            + " dominators_retained_s=%.2f summary_suspects_s=%.2f total_s=%.2f suspects=%d%n",
                    g.objectCount(), g.referenceCount(), s.reachableBytes(), (t1 - t0) / 1e9,
                    size / 1e6 / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, suspects.size());
        } else {
            try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(dump.toFile(), null,
                    HprofIndex.Companion.defaultIndexedGcRootTags())) {
                long t1 = System.nanoTime();
                String tree = new ObjectDominators().renderDominatorTree(graph, List.of(), 1 << 20, null, false);
                long t2 = System.nanoTime();
                System.out.printf("tool=shark objects=%d index_s=%.2f dominators_s=%.2f total_s=%.2f tree_chars=%d%n",
                        graph.getObjectCount(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, tree.length());
            }
        }
    }
}
