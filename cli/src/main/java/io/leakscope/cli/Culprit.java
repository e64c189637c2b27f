package io.leakscope.cli;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.List;

/** One line naming what is most responsible for the growth, for the console. */
final class Culprit {
    private Culprit() {
    }

    static String describe(Findings f) {
        if (!f.heap().growing().isEmpty()) {
            Heap.GrowingPath g = f.heap().growing().get(0);
            String rate = g.bytesPerMinute() != null ? Units.formatBytes(g.bytesPerMinute()) + "/min"
                    : Units.formatBytes(g.bytesPerDump()) + " per dump";
            return String.join(" → ", fromLastClass(g.pathFromRoot())) + " grows " + rate;
        }
        for (Growth.Attribution a : f.growth().attribution()) {
            if (!"unexplained".equals(a.part())) {
                return a.label() + " (" + Math.round(a.share() * 100) + "% of the growth of " + a.total() + ")";
            }
        }
        if (!f.heap().suspects().isEmpty()) {
            return f.heap().suspects().get(0).description();
        }
        return "none identified";
    }

    /**
     * The path from the last class object on it: a static field is where a reader starts looking, and the
     * class-loader hops before it (GC root → loader → classes list) say nothing about the leak.
     */
    static List<String> fromLastClass(List<String> path) {
        for (int i = path.size() - 1; i > 0; i--) {
            // a step is "EDGE → TARGET", e.g. "[4] → class com.example.Registry"
            String step = path.get(i);
            int arrow = step.indexOf(" → class ");
            if (arrow >= 0) {
                List<String> tail = new ArrayList<>(path.subList(i + 1, path.size()));
                tail.add(0, step.substring(arrow + 3));
                return tail;
            }
        }
        return path;
    }
}
