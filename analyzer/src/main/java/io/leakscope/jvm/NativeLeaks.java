package io.leakscope.jvm;

import io.leakscope.findings.NativeMemory.LeakSite;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;
import one.convert.Arguments;
import one.convert.FlameGraph;
import one.convert.JfrToFlame;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Native allocations that were not freed, from an async-profiler nativemem recording, through async-profiler's
 * own converter (jfr-converter): every malloc is paired with its free by address, and what is left, minus
 * the last part of the window ({@code tail}: allocations too young to call leaks), is the leak view.
 */
public final class NativeLeaks {
    /** Share of the recording's time span at its end whose allocations are not counted as leaks. */
    public static final double DEFAULT_TAIL = 0.10;

    private NativeLeaks() {
    }

    private static Arguments leakArguments(double tail, boolean total, String output, String title) {
        Arguments a = new Arguments();
        a.nativemem = true;
        a.leak = true;
        a.tail = tail;
        a.total = total;
        a.output = output;
        a.title = title;
        return a;
    }

    /** Writes the leak flame graph (self-contained HTML) and the same stacks collapsed, one line per stack. */
    public static void writeFlameGraphs(Path jfr, Path html, Path collapsed, double tail) throws IOException {
        FlameGraph graph = parse(jfr, leakArguments(tail, true, "html", "Native memory not freed (bytes)"));
        AtomicFiles.write(html, out -> graph.dump(unclosable(out)));
        FlameGraph folded = parse(jfr, leakArguments(tail, true, "collapsed", null));
        AtomicFiles.write(collapsed, out -> folded.dump(unclosable(out)));
    }

    /** Writes a flame graph of Java objects sampled at allocation that were still live when profiling stopped. */
    public static void writeLiveFlameGraph(Path jfr, Path html) throws IOException {
        Arguments a = new Arguments();
        a.live = true;
        a.total = true;
        a.title = "Java allocations still live (bytes)";
        FlameGraph graph = parse(jfr, a);
        AtomicFiles.write(html, out -> graph.dump(unclosable(out)));
    }

    /** The stacks holding the most bytes not freed, largest first; frames innermost first. */
    public static List<LeakSite> leakSites(Path jfr, double tail, int top) throws IOException {
        Map<String, long[]> byStack = new HashMap<>();
        for (Map.Entry<String, Long> e : collapsed(jfr, leakArguments(tail, true, "collapsed", null)).entrySet()) {
            byStack.computeIfAbsent(e.getKey(), k -> new long[2])[0] += e.getValue();
        }
        for (Map.Entry<String, Long> e : collapsed(jfr, leakArguments(tail, false, "collapsed", null)).entrySet()) {
            byStack.computeIfAbsent(e.getKey(), k -> new long[2])[1] += e.getValue();
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byStack.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<LeakSite> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            List<String> frames = new ArrayList<>();
            for (String f : e.getKey().split(";")) {
                frames.add(frameName(f));
            }
            Collections.reverse(frames);
            out.add(new LeakSite(frames, e.getValue()[0], e.getValue()[1], "async-profiler nativemem"));
        }
        return out;
    }

    /**
     * A collapsed-stack frame as people read it: Java frames lose the converter's type suffix
     * ({@code _[j]} compiled, {@code _[i]} inlined, {@code _[0]} interpreted, ...) and use dots.
     */
    static String frameName(String f) {
        if (f.length() > 4 && f.endsWith("]") && f.charAt(f.length() - 4) == '_' && f.charAt(f.length() - 3) == '[') {
            return f.substring(0, f.length() - 4).replace('/', '.');
        }
        return f;
    }

    private static Map<String, Long> collapsed(Path jfr, Arguments args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        parse(jfr, args).dump(bytes);
        Map<String, Long> out = new HashMap<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            int sp = line.lastIndexOf(' ');
            if (sp <= 0) {
                continue;
            }
            try {
                out.merge(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()), Long::sum);
            } catch (NumberFormatException ignored) {
                // not a stack line
            }
        }
        return out;
    }

    private static FlameGraph parse(Path jfr, Arguments args) throws IOException {
        try {
            return JfrToFlame.parse(jfr.toString(), args);
        } catch (IOException | RuntimeException e) {
            throw new InputException(jfr + ": not a readable async-profiler recording (" + e.getMessage() + ")");
        }
    }

    /** FlameGraph.dump closes the stream it is given; AtomicFiles must still flush and sync it. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
