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

    static List<String> fromLastClass(List<String> path) {
        return io.leakscope.heap.GrowingPaths.fromLastClass(path);
    }
}
