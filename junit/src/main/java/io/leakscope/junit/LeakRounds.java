package io.leakscope.junit;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Heap;
import io.leakscope.io.Units;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a body in rounds, dumps this JVM's live heap after each measured round, and diffs the dumps with the
 * heap engine: a path that grows in every interval is a leak of the body. Dumps are deleted afterwards.
 */
public final class LeakRounds {
    private LeakRounds() {
    }

    public interface Body {
        void run() throws Throwable;
    }

    /** @param growing paths growing in every measured interval, biggest first */
    public record Result(int rounds, List<Heap.GrowingPath> growing) {
        /** The assertion message, or null when nothing grew more than {@code maxGrowth} bytes. */
        public String failure(long maxGrowth) {
            List<Heap.GrowingPath> over = growing.stream().filter(g -> total(g) > maxGrowth).toList();
            if (over.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder("leak: ").append(over.size())
                    .append(over.size() == 1 ? " path grows" : " paths grow").append(" in every one of ")
                    .append(rounds).append(" rounds");
            for (Heap.GrowingPath g : over.subList(0, Math.min(3, over.size()))) {
                b.append("\n  ").append(g.accumulationPoint()).append(": +").append(Units.formatBytes(total(g)))
                        .append(" retained per round ").append(g.retainedBytes().stream().map(Units::formatBytes).toList())
                        .append(", objects ").append(g.objectCount())
                        .append("\n    path from a GC root: ").append(String.join(" → ", g.pathFromRoot()));
            }
            return b.toString();
        }

        private static long total(Heap.GrowingPath g) {
            List<Long> r = g.retainedBytes();
            return r.get(r.size() - 1) - r.get(0);
        }
    }

    public static Result run(int warmup, int iterations, Body body) throws Throwable {
        if (iterations < 3) {
            throw new IllegalArgumentException("@LeakCheck needs at least 3 iterations (growth must repeat), got " + iterations);
        }
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        Path dir = Files.createTempDirectory("leakcheck");
        try {
            List<Path> dumps = new ArrayList<>();
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (int i = 0; i < iterations; i++) {
                body.run();
                Path dump = dir.resolve("round-" + i + ".hprof");
                hs.dumpHeap(dump.toString(), true); // live=true: a full GC first, so only what is retained counts
                dumps.add(dump);
            }
            Findings f = Analyzer.standard("leakscope @LeakCheck").analyze(dumps);
            List<Heap.GrowingPath> growing = new ArrayList<>(f.heap().growing());
            growing.sort(Comparator.comparingLong(Result::total).reversed());
            return new Result(iterations, List.copyOf(growing));
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // best effort: the temp dir is cleaned by the OS
            }
            Files.deleteIfExists(dir);
        }
    }
}
