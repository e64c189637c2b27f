package io.leakscope.gate;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.heap.GrowingPaths;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides pass or fail from findings alone: one check per growth signal and per growing heap path, against the
 * policy's thresholds and, when given, a baseline's findings. Like pytest-memray or LeakCanary's heap-growth
 * test, nothing fails on one noisy number: a signal fails only when the growth stage called it a leak (a
 * significant monotonic trend) and its slope interval lies above the threshold or the baseline's interval.
 */
public final class Gate {
    private Gate() {
    }

    public enum Status { PASS, FAIL, INCONCLUSIVE, SUPPRESSED }

    /**
     * @param id       stable name, e.g. "signal:jvm.heap.after_gc" or "heap-path:SIGNATURE"
     * @param name     for people
     * @param summary  one line: why it passed or failed
     * @param location a source location when a stack frame or class gives one, else null
     * @param primary  heap, native and RSS signals and heap paths decide; others (threads, metaspace, swap)
     *                 fail when they leak but cannot make the run inconclusive
     */
    public record Check(String id, String kind, String name, Status status, String summary, String detail,
                       Location location, boolean primary) {
        Check(String id, String kind, String name, Status status, String summary, String detail, Location location) {
            this(id, kind, name, status, summary, detail, location, true);
        }

        Check secondary() {
            return new Check(id, kind, name, status, summary, detail, location, false);
        }
    }

    /** @param line 0 when only the file is known */
    public record Location(String uri, int line) {
    }

    public record Result(List<Check> checks, Verdict verdict, String headline) {
        public long count(Status s) {
            return checks.stream().filter(c -> c.status() == s).count();
        }

        /**
         * 1 when anything failed; 3 when no primary check could be decided (a stable RSS also rules out a native
         * leak it contains, so one decided primary signal is enough); else 0.
         */
        public int exitCode() {
            if (count(Status.FAIL) > 0) {
                return 1;
            }
            boolean decided = checks.stream().anyMatch(c -> c.primary()
                    && (c.status() == Status.PASS || c.status() == Status.SUPPRESSED));
            return decided ? 0 : 3;
        }

        public String outcome() {
            return switch (exitCode()) {
                case 1 -> "FAIL";
                case 3 -> "INCONCLUSIVE";
                default -> "PASS";
            };
        }
    }

    public static Result evaluate(Findings f, Findings baseline, GatePolicy p) {
        List<Check> checks = new ArrayList<>();
        for (Growth.SignalFit fit : f.growth().signals()) {
            Check c = signal(f, fit, baseline, p);
            boolean primary = !label(fit.seriesId()).equals("other") || p.thresholds().containsKey(fit.seriesId());
            checks.add(primary ? c : c.secondary());
        }
        for (Heap.GrowingPath g : f.heap().growing()) {
            checks.add(path(g, baseline, p));
        }
        return new Result(List.copyOf(checks), f.verdict(), f.headline());
    }

    private static Check signal(Findings f, Growth.SignalFit fit, Findings baseline, GatePolicy p) {
        String id = "signal:" + fit.seriesId();
        String name = fit.seriesId() + " (" + label(fit.seriesId()) + ")";
        String rate = fit.slopePerMinute() == null ? "" : rate(fit);
        Location loc = locationFor(f, fit.seriesId());
        Verdict v = fit.verdict();
        if (v == Verdict.STABLE || (v == Verdict.SATURATING && !p.failOn().contains(Verdict.SATURATING))) {
            return new Check(id, "signal", name, Status.PASS, v.name().toLowerCase() + ": " + nz(fit.reason()),
                    rate, loc);
        }
        if (v == Verdict.INCONCLUSIVE) {
            return new Check(id, "signal", name, Status.INCONCLUSIVE, "not enough data: " + nz(fit.reason()), rate, loc);
        }
        if (!p.failOn().contains(v)) {
            return new Check(id, "signal", name, Status.PASS, v.name().toLowerCase() + " (not failed on)", rate, loc);
        }
        if (fit.pValue() != null && 1 - fit.pValue() < p.minConfidence()) {
            return new Check(id, "signal", name, Status.INCONCLUSIVE, String.format(
                    "grows %s, but with confidence %.3f below --min-confidence %.3f", rate, 1 - fit.pValue(),
                    p.minConfidence()), rate, loc);
        }
        List<String> fails = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        GatePolicy.Threshold t = p.thresholdFor(fit.seriesId());
        if (t != null && t.maxSlopePerMinute() != null) {
            double low = fit.slopeLow() != null ? fit.slopeLow() : fit.slopePerMinute();
            String limit = perMinute(t.maxSlopePerMinute());
            (low > t.maxSlopePerMinute() ? fails : passes).add(low > t.maxSlopePerMinute()
                    ? "grows " + rate + ", above --max-slope " + limit
                    : "grows " + rate + ", not significantly above --max-slope " + limit);
        }
        if (t != null && t.maxGrowthBytes() != null) {
            Double growth = growthAfterWarmup(f, fit);
            if (growth != null) {
                boolean over = growth > t.maxGrowthBytes();
                (over ? fails : passes).add("grew " + Units.formatBytes(growth) + " after warm-up, "
                        + (over ? "above" : "within") + " --max-growth " + Units.formatBytes(t.maxGrowthBytes()));
            }
        }
        if (baseline != null) {
            Growth.SignalFit b = baseline.growth().signals().stream()
                    .filter(x -> x.seriesId().equals(fit.seriesId())).findFirst().orElse(null);
            if (b == null || b.verdict() != Verdict.LEAK) {
                fails.add("regression: " + (b == null ? "the baseline has no such signal"
                        : "the baseline was " + b.verdict().name().toLowerCase()) + ", now grows " + rate);
            } else if (b.slopeHigh() != null && fit.slopeLow() != null && fit.slopeLow() > b.slopeHigh()) {
                fails.add("regression: grows " + rate + ", significantly faster than the baseline's "
                        + rate(b));
            } else {
                passes.add("grows " + rate + " as in the baseline (" + rate(b) + "): a known leak, not a regression");
            }
        }
        if (t == null && baseline == null) {
            fails.add(v.name().toLowerCase() + ": " + nz(fit.reason()));
        }
        boolean failed = !fails.isEmpty();
        return new Check(id, "signal", name, failed ? Status.FAIL : Status.PASS,
                String.join("; ", failed ? fails : passes), detail(fit), loc);
    }

    private static Check path(Heap.GrowingPath g, Findings baseline, GatePolicy p) {
        String id = "heap-path:" + g.signature();
        String name = "heap path " + holder(g.pathFromRoot());
        String growth = g.bytesPerMinute() != null ? perMinute(g.bytesPerMinute())
                : Units.formatBytes(g.bytesPerDump()) + " per dump";
        String detail = "retained per dump: " + g.retainedBytes().stream().map(Units::formatBytes).toList()
                + "; objects per dump: " + g.objectCount() + "\npath from a GC root: "
                + String.join(" → ", g.pathFromRoot());
        Location loc = pathLocation(g);
        GatePolicy.Suppression s = p.suppressionFor(g.signature(), g.pathFromRoot());
        if (s != null) {
            return new Check(id, "heap-path", name, Status.SUPPRESSED, "grows " + growth + "; suppressed: "
                    + s.reason(), detail, loc);
        }
        if (baseline != null && baseline.heap().growing().stream().anyMatch(b -> b.signature().equals(g.signature()))) {
            return new Check(id, "heap-path", name, Status.PASS, "grows " + growth
                    + " as in the baseline: a known leak, not a regression", detail, loc);
        }
        GatePolicy.Threshold t = p.thresholdFor("jvm.heap.after_gc");
        if (baseline == null && t != null && t.maxSlopePerMinute() != null && g.bytesPerMinute() != null
                && g.bytesPerMinute() <= t.maxSlopePerMinute()) {
            return new Check(id, "heap-path", name, Status.PASS, "grows " + growth + ", within --max-slope "
                    + perMinute(t.maxSlopePerMinute()), detail, loc);
        }
        return new Check(id, "heap-path", name, Status.FAIL, (baseline != null ? "regression: new growing path, "
                : "grows in every dump, ") + growth, detail, loc);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static String label(String seriesId) {
        for (var e : GatePolicy.SIGNALS.entrySet()) {
            if (e.getValue().contains(seriesId)) {
                return e.getKey();
            }
        }
        return "other";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String perMinute(double bytes) {
        return Units.formatBytes(bytes) + "/min";
    }

    private static String rate(Growth.SignalFit fit) {
        String r = perMinute(fit.slopePerMinute());
        if (fit.slopeLow() != null && fit.slopeHigh() != null) {
            r += " [" + perMinute(fit.slopeLow()) + " – " + perMinute(fit.slopeHigh()) + "]";
        }
        return r;
    }

    private static String detail(Growth.SignalFit fit) {
        StringBuilder b = new StringBuilder();
        b.append("verdict ").append(fit.verdict());
        if (fit.slopePerMinute() != null) {
            b.append(", slope ").append(rate(fit));
        }
        if (fit.pValue() != null) {
            b.append(String.format(", Mann–Kendall p=%.2g", fit.pValue()));
        }
        if (fit.samplesUsed() != null) {
            b.append(", ").append(fit.samplesUsed()).append(" samples");
        }
        if (fit.timeToLimit() != null && fit.timeToLimit().text() != null) {
            b.append(", hits ").append(fit.timeToLimit().limitSource()).append(' ').append(fit.timeToLimit().text());
        }
        return b.toString();
    }

    /** Growth of a series between its warm-up end and its end, each as the median of three samples (noise). */
    static Double growthAfterWarmup(Findings f, Growth.SignalFit fit) {
        Series s = f.series().stream().filter(x -> x.id().equals(fit.seriesId())).findFirst().orElse(null);
        if (s == null || s.size() < 2) {
            return null;
        }
        long[] t = s.timeMs();
        int start = 0;
        if (fit.warmupEndMs() != null) {
            while (start < t.length - 1 && t[start] < fit.warmupEndMs()) {
                start++;
            }
        }
        return median3(s.values(), s.size() - 1) - median3(s.values(), start);
    }

    private static double median3(double[] v, int i) {
        int lo = Math.max(0, Math.min(i - 1, v.length - 3));
        double[] w = Arrays.copyOfRange(v, lo, Math.min(v.length, lo + 3));
        Arrays.sort(w);
        return w[w.length / 2];
    }

    /** Where to point a SARIF result: the top native site's first Java frame, or the growing heap path's class. */
    private static Location locationFor(Findings f, String seriesId) {
        String signal = label(seriesId);
        if (!signal.equals("heap") && f.nativeMemory() != null) {
            for (NativeMemory.LeakSite site : f.nativeMemory().leakSites()) {
                for (String frame : site.frames()) {
                    Location l = frameLocation(frame);
                    if (l != null) {
                        return l;
                    }
                }
            }
        }
        if (!signal.equals("native") && !f.heap().growing().isEmpty()) {
            return pathLocation(f.heap().growing().get(0));
        }
        return null;
    }

    private static final Pattern JAVA_FRAME = Pattern.compile("([\\w$.]+)\\.[\\w$<>]+\\(([\\w$]+\\.(?:java|kt)):(\\d+)\\)");
    private static final Pattern PY_FRAME = Pattern.compile("\\b([\\w./-]+\\.py):(\\d+)\\b");

    /**
     * {@code com.foo.Bar.method(Bar.java:42)} → src/main/java/com/foo/Bar.java line 42, the layout Maven and
     * Gradle share; {@code agent/tools.py:42} stays as written.
     */
    static Location frameLocation(String frame) {
        Matcher m = JAVA_FRAME.matcher(frame);
        if (m.find()) {
            String cls = m.group(1);
            int dot = cls.lastIndexOf('.');
            String pkg = dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/";
            return new Location("src/main/java/" + pkg + m.group(2), Integer.parseInt(m.group(3)));
        }
        m = PY_FRAME.matcher(frame);
        if (m.find() && !m.group(1).startsWith("/")) {
            return new Location(m.group(1), Integer.parseInt(m.group(2)));
        }
        return null;
    }

    /**
     * Names a growing path by its innermost application object and the field it grows through, e.g.
     * "ConversationHistoryLeak$Session.history"; steps are "EDGE → TARGET".
     */
    static String holder(List<String> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            String target = GrowingPaths.objectOf(path.get(i));
            if (classLocation(target) == null) {
                continue;
            }
            String simple = target.replaceFirst("^class ", "");
            simple = simple.substring(simple.lastIndexOf('.') + 1);
            if (i + 1 < path.size() && path.get(i + 1).startsWith(".")) {
                String next = path.get(i + 1);
                int sp = next.indexOf(" →");
                return simple + (sp > 0 ? next.substring(0, sp) : next);
            }
            return simple;
        }
        return path.isEmpty() ? "?" : path.get(path.size() - 1);
    }

    /** The innermost application class on a growing path: the accumulation point, else the nearest holder. */
    static Location pathLocation(Heap.GrowingPath g) {
        Location l = classLocation(g.accumulationPoint());
        for (int i = g.pathFromRoot().size() - 1; l == null && i >= 0; i--) {
            l = classLocation(GrowingPaths.objectOf(g.pathFromRoot().get(i)));
        }
        return l;
    }

    /** {@code com.foo.Outer$Inner[]} → src/main/java/com/foo/Outer.java; JDK classes point nowhere. */
    static Location classLocation(String className) {
        if (className == null) {
            return null;
        }
        String c = className.replace("[]", "").replaceFirst("^class ", "").trim();
        int space = c.indexOf(' ');
        if (space >= 0) {
            c = c.substring(0, space);
        }
        if (c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || !c.contains(".") || !c.matches("[\\w$.]+")) {
            return null;
        }
        int dollar = c.indexOf('$');
        String outer = dollar < 0 ? c : c.substring(0, dollar);
        return new Location("src/main/java/" + outer.replace('.', '/') + ".java", 0);
    }
}
