package io.leakscope.heap;

import io.leakscope.findings.Heap;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.List;

/** How a growing dominator path reads in a headline or on the console. */
public final class GrowingPaths {
    private GrowingPaths() {
    }

    /**
     * The object a step of a path from a GC root reaches: "java.util.ArrayList" of ".SESSIONS →
     * java.util.ArrayList" and of "GC root (Java frame in a.B.run(B.java:12)): java.util.ArrayList"
     * ({@link HeapAnalysis#pathTo} writes both).
     */
    public static String objectOf(String step) {
        int arrow = step.lastIndexOf(" → ");
        return arrow >= 0 ? step.substring(arrow + 3) : step.replaceFirst("^GC root \\(.*?\\): ", "");
    }

    /**
     * The path from the last class object on it: a static field is where a reader starts looking, and the
     * class-loader hops before it (GC root → loader → classes list) say nothing about the leak.
     */
    public static List<String> fromLastClass(List<String> path) {
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

    /** A path's root step when the root is a local variable whose method the dump named. */
    private static final java.util.regex.Pattern LOCAL_ROOT =
            java.util.regex.Pattern.compile("^GC root \\(Java frame in (.*?)\\): .*");

    /** "a.b.Agent$Loop.run(Agent.java:40)" → "Agent$Loop.run(Agent.java:40)". */
    static String simpleMethod(String method) {
        int paren = method.indexOf('(');
        String qualified = paren >= 0 ? method.substring(0, paren) : method;
        int dot = qualified.lastIndexOf('.');
        return dot < 0 ? method : simple(qualified.substring(0, dot)) + method.substring(dot);
    }

    /**
     * One line: the holder (the last class on the path and its static field, with the field's type), what
     * accumulates under it and how fast, e.g. "ListenerLeak$EventBus.LISTENERS (CopyOnWriteArrayList)
     * accumulates ListenerLeak$RetryListener: +257 per dump, 2.4 MiB/min".
     */
    public static String describe(Heap.GrowingPath g) {
        List<String> path = fromLastClass(g.pathFromRoot());
        String holder;
        if (!path.isEmpty() && path.get(0).startsWith("class ")) {
            holder = simple(path.get(0).substring("class ".length()));
            if (path.size() > 1 && path.get(1).startsWith(".")) {
                String step = path.get(1);
                int arrow = step.indexOf(" → ");
                holder += arrow > 0 ? step.substring(0, arrow) + " (" + simple(step.substring(arrow + 3)) + ")" : step;
            }
        } else {
            String last = path.isEmpty() ? "?" : path.get(path.size() - 1);
            holder = simple(objectOf(last));
            java.util.regex.Matcher local = LOCAL_ROOT.matcher(last);
            if (local.matches()) {
                // a long-running method's own collection: the method is the code to read
                holder += " (a local variable of " + simpleMethod(local.group(1)) + ")";
            }
        }
        String rate = g.bytesPerMinute() != null ? Units.formatBytes(g.bytesPerMinute()) + "/min"
                : Units.formatBytes(g.bytesPerDump()) + " per dump";
        if (g.accumulated().isEmpty()) {
            return holder + " grows " + rate;
        }
        Heap.Accumulated a = g.accumulated().get(0);
        List<Long> counts = a.count();
        long perDump = counts.size() < 2 ? 0 : (counts.get(counts.size() - 1) - counts.get(0)) / (counts.size() - 1);
        return holder + " accumulates " + simple(a.className()) + ": " + (perDump > 0 ? "+" + perDump + " per dump, " : "")
                + rate;
    }

    /** "io.leakscope.samples.ListenerLeak$RetryListener" → "ListenerLeak$RetryListener"; arrays keep their []. */
    static String simple(String className) {
        String c = className.strip();
        int dot = c.lastIndexOf('.', c.endsWith("[]") ? c.length() - 3 : c.length() - 1);
        return dot >= 0 ? c.substring(dot + 1) : c;
    }
}
