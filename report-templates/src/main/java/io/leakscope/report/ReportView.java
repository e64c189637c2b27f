package io.leakscope.report;

import io.leakscope.findings.Capture;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.findings.Input;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Recommendation;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the template shows beyond the raw findings tree, derived from the findings alone: the first-screen
 * answers, chart geometry, the capped tables and the dominator tree. Strings here are plain text; the
 * template escapes them. Caps keep a report of a large heap diff small; the full data stays in findings.json.
 * The heap sections are built by {@link HeapView}.
 */
final class ReportView {
    /** Series that measure the whole target's resident size, most direct first (as AdviceStage reads them). */
    static final List<String> RESIDENT_IDS = List.of("process.rss", "jvm.rss", "cgroup.usage", "memray.rss");
    static final int MAX_TABLE_ROWS = 200;
    static final int MAX_TREE_PATHS = 100;
    static final int MAX_PATH_DEPTH = 40;
    static final int MAX_SUSPECTS = 20;
    static final int MAX_LIST = 30;
    static final int MAX_NATIVE_CHART_LINES = 6;
    /** A flame graph larger than this is linked, not embedded, to keep the report within its size budget. */
    static final long MAX_EMBEDDED_FLAME_BYTES = 2L * 1024 * 1024;

    private ReportView() {
    }

    static Map<String, Object> of(Findings f, Path baseDir) {
        Map<String, Object> v = new LinkedHashMap<>();
        Growth.SignalFit lead = leadFit(f);
        v.put("answers", answers(f, lead));
        v.put("charts", charts(f));
        v.put("grows", grows(f));
        v.put("tree", HeapView.tree(f));
        v.put("suspects", HeapView.suspects(f));
        v.put("dumps", HeapView.dumps(f));
        v.put("newestDump", HeapView.newestDump(f));
        v.put("nativeSites", nativeSites(f));
        // a Python process: its "native" sites are Memray's allocation stacks, and NMT does not apply
        v.put("pythonSitesOnly", f.nativeMemory().nmtMode() == null && !f.nativeMemory().leakSites().isEmpty()
                && f.nativeMemory().leakSites().stream().allMatch(s -> "memray".equals(s.source())));
        v.put("flame", flame(f, baseDir));
        v.put("secrets", HeapView.secrets(f));
        v.put("recommendations", recommendations(f));
        v.put("capture", capture(f));
        v.put("captureDetails", captureDetails(f));
        v.put("limits", limits(f));
        v.put("reproduce", reproduce(f));
        return v;
    }

    // ---- first screen ----

    /** The fit that decided the verdict: same verdict, the resident size first, then the most significant. */
    static Growth.SignalFit leadFit(Findings f) {
        Growth.SignalFit best = null;
        for (Growth.SignalFit s : f.growth().signals()) {
            if (s.verdict() != f.verdict()) {
                continue;
            }
            if (best == null || rank(s) < rank(best)) {
                best = s;
            }
        }
        return best;
    }

    private static double rank(Growth.SignalFit s) {
        int idx = List.of("process.rss", "cgroup.usage", "jvm.heap.after_gc", "memray.rss").indexOf(s.seriesId());
        return (idx < 0 ? 10 : idx) + (s.pValue() != null ? Math.min(0.99, s.pValue()) : 0.99);
    }

    private static Map<String, Object> answers(Findings f, Growth.SignalFit lead) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("verdict", f.verdict().name());
        a.put("verdictWords", switch (f.verdict()) {
            case LEAK -> "Leaking";
            case SATURATING -> "Growing, levelling off";
            case STABLE -> "Not leaking";
            case INCONCLUSIVE -> "Inconclusive";
        });
        a.put("headline", f.headline());
        a.put("confidence", confidenceWords(f.verdict(), lead));
        a.put("confidenceNumbers", confidenceNumbers(lead));
        if (lead != null && lead.reason() != null) {
            a.put("reason", lead.reason());
        }
        Series s = lead != null ? f.series(lead.seriesId()) : null;
        if (lead != null) {
            a.put("signal", s != null && s.label() != null && !s.label().equals(s.id()) ? s.label() + " (" + s.id() + ")"
                    : lead.seriesId());
        }
        if (lead != null && lead.slopePerMinute() != null && (f.verdict() == Verdict.LEAK || f.verdict() == Verdict.SATURATING)) {
            boolean bytes = lead.unit() != null ? "bytes".equals(lead.unit()) : s == null || "bytes".equals(s.unit());
            a.put("howFast", rate(lead.slopePerMinute(), bytes) + " ("
                    + rate(lead.slopePerMinute() * 60, bytes).replace("/min", "/h") + ")"
                    + (lead.slopeLow() != null && lead.slopeHigh() != null
                    ? ", interval " + rate(lead.slopeLow(), bytes) + " to " + rate(lead.slopeHigh(), bytes) : ""));
        }
        Growth.TimeToLimit ttl = lead != null ? lead.timeToLimit() : null;
        Growth.SignalFit firstFit = firstToALimit(f);
        if (firstFit != null && (ttl == null || ttl.earliestSecs() == null
                || firstFit.timeToLimit().earliestSecs() < ttl.earliestSecs())) {
            // another signal reaches its own limit first (the heap its -Xmx): that is the answer
            Series fs = f.series(firstFit.seriesId());
            String what = fs != null && fs.label() != null ? fs.label() : firstFit.seriesId();
            a.put("whenLimit", what + ": " + limitText(firstFit.timeToLimit())
                    + (ttl != null && ttl.earliestSecs() != null ? "; resident size: " + limitText(ttl) : ""));
        } else if (ttl != null && ttl.earliestSecs() != null) {
            a.put("whenLimit", limitText(ttl));
        } else if (f.verdict() == Verdict.LEAK || f.verdict() == Verdict.SATURATING) {
            a.put("whenLimit", f.limits().effectiveLimitBytes() == null ? "unknown: no limit was found"
                    : "not within the projection horizon");
        }
        if (lead != null && lead.plateau() != null && f.verdict() == Verdict.SATURATING && a.containsKey("howFast")) {
            a.put("howFast", a.get("howFast") + "; levels off near " + Units.formatBytes(lead.plateau()));
        }
        if (lead != null && lead.minCaptureSecs() != null && f.verdict() == Verdict.INCONCLUSIVE) {
            a.put("howFast", "not established: capture for " + Units.formatDuration(lead.minCaptureSecs()) + " to decide");
        }
        if (!a.containsKey("howFast") && f.verdict() == Verdict.LEAK && f.heap() != null
                && !f.heap().growing().isEmpty()) {
            // no fitted series (heap dumps only): the diff's fastest-growing subtree says how fast
            Heap.GrowingPath top = f.heap().growing().get(0);
            a.put("howFast", (top.bytesPerMinute() != null ? rate(top.bytesPerMinute(), true)
                    : Units.formatBytes(top.bytesPerDump()) + " a dump") + " of retained heap, across "
                    + top.retainedBytes().size() + " heap dumps");
        }
        if (!a.containsKey("howFast")) {
            a.put("howFast", f.verdict() == Verdict.STABLE ? "no significant growth" : "not established");
        }
        if (!a.containsKey("whenLimit")) {
            a.put("whenLimit", f.verdict() == Verdict.STABLE ? "not on the current trend" : "unknown");
        }
        a.put("responsible", shortCulprit(f));
        a.put("responsibleFull", culprit(f));
        a.put("doNow", doNow(f));
        return a;
    }

    private static String limitText(Growth.TimeToLimit ttl) {
        return "in " + Units.formatDuration(ttl.earliestSecs())
                + (ttl.latestSecs() != null ? " to " + Units.formatDuration(ttl.latestSecs()) : " or later")
                + " (" + ttl.limitSource() + ", " + Units.formatBytes(ttl.limitBytes()) + ")"
                + (ttl.swapEarliestSecs() != null && ttl.swapAtBytes() != null
                ? "; the host starts swapping in " + Units.formatDuration(ttl.swapEarliestSecs()) + " at the earliest" : "");
    }

    /** The leaking signal that reaches its limit first, if any has a time to its limit. */
    static Growth.SignalFit firstToALimit(Findings f) {
        Growth.SignalFit first = null;
        for (Growth.SignalFit s : f.growth().signals()) {
            Growth.TimeToLimit t = s.timeToLimit();
            if (s.verdict() == Verdict.LEAK && t != null && t.earliestSecs() != null
                    && (first == null || t.earliestSecs() < first.timeToLimit().earliestSecs())) {
                first = s;
            }
        }
        return first;
    }

    /**
     * The culprit for the first screen: the last steps of the growing path with class names without their
     * packages (the full path is in the heap section).
     */
    static String shortCulprit(Findings f) {
        if (f.heap().growing().isEmpty() || f.heap().growing().get(0).pathFromRoot() == null
                || f.heap().growing().get(0).pathFromRoot().isEmpty()) {
            return culprit(f);
        }
        Heap.GrowingPath g = f.heap().growing().get(0);
        List<String> p = g.pathFromRoot();
        List<String> steps = new ArrayList<>();
        for (String step : p.subList(Math.max(0, p.size() - 3), p.size())) {
            steps.add(step.replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+(?=[A-Z])", ""));
        }
        String r = g.bytesPerMinute() != null ? rate(g.bytesPerMinute(), true) : Units.formatBytes(g.bytesPerDump()) + " per dump";
        return (p.size() > 3 ? "… → " : "") + String.join(" → ", steps) + " grows " + r;
    }

    /** The first limit to set, the planned restart if the leak needs one, and the first code lead. */
    private static List<Map<String, Object>> doNow(Findings f) {
        List<Map<String, Object>> now = new ArrayList<>();
        Recommendation limit = null;
        Recommendation restart = null;
        Recommendation code = null;
        for (Recommendation r : f.recommendations()) {
            if ("containment".equals(r.kind()) && r.title() != null && r.title().startsWith("Restart")) {
                restart = restart == null ? r : restart;
            } else if ("containment".equals(r.kind())) {
                limit = limit == null ? r : limit;
            } else if ("code".equals(r.kind())) {
                code = code == null ? r : code;
            }
        }
        for (Recommendation r : new Recommendation[]{limit, restart, code}) {
            if (r != null) {
                now.add(rec(r));
            }
        }
        return now;
    }

    /** Confidence in words: from the trend test's p-value, the fit's R² and the number of samples. */
    static String confidenceWords(Verdict v, Growth.SignalFit lead) {
        if (lead == null) {
            return v == Verdict.LEAK ? "from heap dumps only" : "not assessed";
        }
        double p = lead.pValue() != null ? lead.pValue() : 1;
        double r2 = lead.r2() != null ? lead.r2() : 0;
        int n = lead.samplesUsed() != null ? lead.samplesUsed() : 0;
        return switch (v) {
            case LEAK, SATURATING -> p < 0.001 && r2 >= 0.8 && n >= 20 ? "high confidence"
                    : p < 0.01 && n >= 10 ? "moderate confidence" : "low confidence";
            case STABLE -> n >= 60 ? "high confidence" : n >= 20 ? "moderate confidence" : "low confidence";
            case INCONCLUSIVE -> "low confidence";
        };
    }

    static String confidenceNumbers(Growth.SignalFit lead) {
        if (lead == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (lead.pValue() != null) {
            parts.add("Mann–Kendall p = " + sig(lead.pValue()));
        }
        if (lead.r2() != null) {
            parts.add(String.format(Locale.ROOT, "R² = %.2f", lead.r2()));
        }
        if (lead.samplesUsed() != null) {
            parts.add(lead.samplesUsed() + " samples");
        }
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    static String culprit(Findings f) {
        if (!f.heap().growing().isEmpty()) {
            Heap.GrowingPath g = f.heap().growing().get(0);
            // the last steps of the path name the field that holds on; the accumulation point alone is often
            // just an array
            List<String> p = g.pathFromRoot() == null ? List.of() : g.pathFromRoot();
            String where = !p.isEmpty() ? (p.size() > 4 ? "… → " : "") + String.join(" → ", p.subList(Math.max(0, p.size() - 4), p.size()))
                    : g.accumulationPoint() != null ? g.accumulationPoint() : g.signature();
            String r = g.bytesPerMinute() != null ? rate(g.bytesPerMinute(), true)
                    : Units.formatBytes(g.bytesPerDump()) + " per dump";
            return where + " grows " + r;
        }
        for (Growth.Attribution a : f.growth().attribution()) {
            if (!"unexplained".equals(a.part())) {
                return (a.label() != null ? a.label() : a.part()) + ": " + Math.round(a.share() * 100)
                        + "% of the growth of " + a.total();
            }
        }
        if (!f.heap().suspects().isEmpty()) {
            return f.heap().suspects().get(0).description();
        }
        if (!f.nativeMemory().leakSites().isEmpty()) {
            NativeMemory.LeakSite s = f.nativeMemory().leakSites().get(0);
            return ("memray".equals(s.source()) ? "allocations tracked by Memray in " : "native allocations in ")
                    + (s.frames().isEmpty() ? "?" : s.frames().get(0)) + " not freed ("
                    + Units.formatBytes(s.bytes()) + ")";
        }
        return null;
    }

    // ---- charts ----

    private static List<Map<String, Object>> charts(Findings f) {
        List<TimelineChart.Mark> marks = marks(f);
        List<Map<String, Object>> out = new ArrayList<>();
        Series resident = null;
        for (String id : RESIDENT_IDS) {
            if (resident == null && f.series(id) != null) {
                resident = f.series(id);
            }
        }
        if (resident != null) {
            // cgroup.usage is left out: it counts the whole group (and its page cache), often another scale
            TimelineChart c = new TimelineChart("chart-rss", "Resident size").line(resident);
            c.fit(resident, fitOf(f, resident.id())).limit(f.limits().effectiveLimitBytes(), f.limits().effectiveLimitSource());
            add(out, c.marks(marks));
        }
        Series heap = null;
        for (Series s : f.series()) {
            if (s.id().startsWith("jvm.heap") && "bytes".equals(s.unit()) && (heap == null || s.id().contains("after_gc"))) {
                heap = s;
            }
        }
        if (heap != null) {
            TimelineChart c = new TimelineChart("chart-heap", "Java heap after GC".equals(heap.label()) ? heap.label()
                    : "Java heap (" + (heap.label() != null ? heap.label() : heap.id()) + ")").line(heap);
            Long maxHeap = f.limits().maxHeapBytes() != null ? f.limits().maxHeapBytes()
                    : f.target() != null && f.target().jvm() != null ? f.target().jvm().maxHeapBytes() : null;
            add(out, c.fit(heap, fitOf(f, heap.id())).limit(maxHeap, "-Xmx").marks(marks));
        }
        List<Series> nat = new ArrayList<>();
        for (Series s : f.series()) {
            if (s.id().startsWith("nmt.") && "part".equals(s.role()) && "bytes".equals(s.unit())) { // committed per category
                nat.add(s);
            }
        }
        if (!nat.isEmpty()) {
            nat.sort(Comparator.comparingDouble((Series s) -> growthOf(s)).reversed());
            TimelineChart c = new TimelineChart("chart-native", "Native memory by NMT category (fastest growing "
                    + Math.min(MAX_NATIVE_CHART_LINES, nat.size()) + " of " + nat.size() + ")");
            for (Series s : nat.subList(0, Math.min(MAX_NATIVE_CHART_LINES, nat.size()))) {
                c.line(s);
            }
            Series top = nat.get(0);
            add(out, c.fit(top, fitOf(f, top.id())).marks(marks));
        }
        return out;
    }

    private static void add(List<Map<String, Object>> out, TimelineChart c) {
        Map<String, Object> m = c.isEmpty() ? null : c.model();
        if (m != null) {
            out.add(m);
        }
    }

    private static double growthOf(Series s) {
        double first = Double.NaN;
        for (double v : s.values()) {
            if (Double.isFinite(v)) {
                first = v;
                break;
            }
        }
        return Double.isFinite(first) && Double.isFinite(s.last()) ? s.last() - first : 0;
    }

    /** PSI full avg10 crossing 1% and every memory.events high/max/oom_kill increment. */
    static List<TimelineChart.Mark> marks(Findings f) {
        List<TimelineChart.Mark> out = new ArrayList<>();
        Series psi = f.series("psi.memory.full.avg10");
        if (psi != null) {
            boolean above = false;
            for (int i = 0; i < psi.size(); i++) {
                double v = psi.values()[i];
                if (Double.isFinite(v) && v >= 1 && !above) {
                    out.add(new TimelineChart.Mark(psi.timeMs()[i], "psi",
                            String.format(Locale.ROOT, "PSI memory full avg10 %.1f%%", v)));
                }
                if (Double.isFinite(v)) {
                    above = v >= 1;
                }
            }
        }
        for (String ev : List.of("high", "max", "oom_kill")) {
            Series s = f.series("cgroup.events." + ev);
            if (s == null) {
                continue;
            }
            // a run of consecutive increments is one episode: one mark where it starts, with the run's total
            double prev = Double.NaN;
            long runStart = -1;
            double runFrom = 0;
            double last = Double.NaN;
            for (int i = 0; i <= s.size(); i++) {
                double v = i < s.size() ? s.values()[i] : Double.NaN;
                boolean rising = Double.isFinite(v) && Double.isFinite(prev) && v > prev;
                if (rising && runStart < 0) {
                    runStart = s.timeMs()[i];
                    runFrom = prev;
                }
                if (!rising && runStart >= 0 && (i == s.size() || Double.isFinite(v))) {
                    out.add(new TimelineChart.Mark(runStart, ev.equals("oom_kill") ? "oom" : "event",
                            String.format(Locale.ROOT, "memory.events %s +%.0f", ev, last - runFrom)));
                    runStart = -1;
                }
                if (Double.isFinite(v)) {
                    prev = v;
                    last = v;
                }
            }
        }
        if (f.capture() != null) {
            for (Capture.Event e : f.capture().events()) {
                if (("heap-dump".equals(e.kind()) || "histogram".equals(e.kind())) && e.time() != null) {
                    try {
                        out.add(new TimelineChart.Mark(Instant.parse(e.time()).toEpochMilli(), "capture",
                                e.kind() + (e.stoppedMs() != null ? " (stopped the target " + e.stoppedMs() + " ms)"
                                        : e.durationMs() != null ? " (took " + e.durationMs() + " ms)" : "")));
                    } catch (java.time.format.DateTimeParseException ignored) {
                        // an event without a readable time is listed in the environment section only
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(TimelineChart.Mark::timeMs));
        return out;
    }

    private static Growth.SignalFit fitOf(Findings f, String id) {
        for (Growth.SignalFit s : f.growth().signals()) {
            if (id.equals(s.seriesId())) {
                return s;
            }
        }
        return null;
    }

    // ---- tables ----

    /** Every fitted signal with its share of its total's growth, fastest first; capped. */
    private static Map<String, Object> grows(Findings f) {
        Map<String, Double> share = new LinkedHashMap<>();
        for (Growth.Attribution a : f.growth().attribution()) {
            share.put(a.part(), a.share());
        }
        List<Growth.SignalFit> fits = new ArrayList<>(f.growth().signals());
        fits.sort(Comparator.comparingDouble((Growth.SignalFit s) -> s.slopePerMinute() != null ? s.slopePerMinute() : 0).reversed());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Growth.SignalFit s : fits.subList(0, Math.min(MAX_TABLE_ROWS, fits.size()))) {
            Series ser = f.series(s.seriesId());
            boolean bytes = ser == null || "bytes".equals(ser.unit());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("what", ser != null && ser.label() != null ? ser.label() : s.seriesId());
            r.put("id", s.seriesId());
            r.put("kind", kindOf(s.seriesId(), ser));
            r.put("verdict", s.verdict() != null ? s.verdict().name() : "");
            r.put("slope", s.slopePerMinute() != null ? rate(s.slopePerMinute(), bytes) : "");
            r.put("slopeV", s.slopePerMinute() != null ? s.slopePerMinute() : 0);
            r.put("interval", s.slopeLow() != null && s.slopeHigh() != null
                    ? rate(s.slopeLow(), bytes) + " … " + rate(s.slopeHigh(), bytes) : "");
            r.put("p", s.pValue() != null ? sig(s.pValue()) : "");
            r.put("pV", s.pValue() != null ? s.pValue() : 1);
            r.put("r2", s.r2() != null ? String.format(Locale.ROOT, "%.2f", s.r2()) : "");
            r.put("r2V", s.r2() != null ? s.r2() : 0);
            Double sh = share.get(s.seriesId());
            r.put("share", sh != null ? Math.round(sh * 100) + "%" : "");
            r.put("shareV", sh != null ? sh : -1);
            r.put("last", ser != null && Double.isFinite(ser.last()) ? (bytes ? Units.formatBytes(ser.last())
                    : String.format(Locale.ROOT, "%.0f", ser.last())) : "");
            r.put("lastV", ser != null && Double.isFinite(ser.last()) ? ser.last() : 0);
            rows.add(r);
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("rows", rows);
        g.put("total", fits.size());
        g.put("explanation", f.growth().explanation());
        List<Map<String, Object>> attr = new ArrayList<>();
        int negligible = 0;
        for (Growth.Attribution a : f.growth().attribution()) {
            if (Math.abs(a.share()) < 0.005 && !"unexplained".equals(a.part())) {
                negligible++; // parts that did not move: listed in findings.json
            } else if (attr.size() < MAX_TABLE_ROWS) {
                attr.add(Map.of("total", a.total(), "part", a.label() != null ? a.label() : a.part(),
                        "slope", rate(a.slopePerMinute(), true), "share", Math.round(a.share() * 100) + "%",
                        "shareV", a.share()));
            }
        }
        g.put("attribution", attr);
        g.put("negligible", negligible);
        return g;
    }

    private static String kindOf(String id, Series s) {
        if (id.startsWith("class.")) {
            return "class";
        }
        if (id.startsWith("nmt.")) {
            return "native category";
        }
        if (id.startsWith("smaps.")) {
            return "mapping";
        }
        if (id.startsWith("memray.") || id.startsWith("python.")) {
            return "Python stack";
        }
        if (id.startsWith("jvm.")) {
            return "JVM";
        }
        return s != null && s.source() != null ? s.source() : "";
    }

    private static List<Map<String, Object>> nativeSites(Findings f) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<NativeMemory.LeakSite> sites = f.nativeMemory().leakSites();
        for (NativeMemory.LeakSite s : sites.subList(0, Math.min(MAX_LIST, sites.size()))) {
            List<String> frames = s.frames() == null ? List.of() : s.frames();
            out.add(Map.of("top", frames.isEmpty() ? "?" : frames.get(0),
                    "frames", frames.subList(0, Math.min(MAX_PATH_DEPTH, frames.size())),
                    "bytes", Units.formatBytes(s.bytes()), "bytesV", s.bytes(), "allocations", s.allocations(),
                    "source", s.source() != null ? s.source() : ""));
        }
        return out;
    }

    /**
     * The native leak flame graph: async-profiler's converter writes one self-contained HTML page. It is
     * embedded as a sandboxed iframe's srcdoc (scripts run, but in an opaque origin without access to the
     * report); a page larger than the budget is linked instead.
     */
    private static Map<String, Object> flame(Findings f, Path baseDir) {
        String name = f.nativeMemory().flameGraph();
        if (name == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        Path file = locate(name, f, baseDir);
        if (file == null) {
            m.put("missing", true);
            return m;
        }
        try {
            long size = Files.size(file);
            m.put("size", Units.formatBytes(size));
            if (size <= MAX_EMBEDDED_FLAME_BYTES) {
                m.put("srcdoc", new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            m.put("missing", true);
        }
        return m;
    }

    /**
     * A file the findings name, relative to the findings' folder (where attach writes findings.json next to
     * the bundle) or else to a bundle input's parent; never outside that folder.
     */
    private static Path locate(String name, Findings f, Path baseDir) {
        List<Path> bases = new ArrayList<>();
        if (baseDir != null) {
            bases.add(baseDir);
        }
        for (Input i : f.inputs()) {
            Path p = Path.of(i.path()).toAbsolutePath().getParent();
            if ("bundle".equals(i.kind()) && p != null) {
                bases.add(p);
            }
        }
        for (Path base : bases) {
            Path b = base.toAbsolutePath().normalize();
            Path file = b.resolve(name).normalize();
            if (file.startsWith(b) && Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static Map<String, Object> recommendations(Findings f) {
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (String k : List.of("containment", "jvm-flag", "code")) {
            byKind.put(k, new ArrayList<Map<String, Object>>());
        }
        for (Recommendation r : f.recommendations()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> l = (List<Map<String, Object>>) byKind.computeIfAbsent(
                    r.kind() != null ? r.kind() : "other", k -> new ArrayList<Map<String, Object>>());
            l.add(rec(r));
        }
        byKind.values().removeIf(l -> ((List<?>) l).isEmpty());
        return byKind;
    }

    private static Map<String, Object> rec(Recommendation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind() != null ? r.kind() : "");
        m.put("title", r.title() != null ? r.title() : "");
        m.put("detail", r.detail() != null ? r.detail() : "");
        if (r.command() != null) {
            m.put("command", r.command());
        }
        return m;
    }

    // ---- environment ----

    /** What the capture covered, read off the series: span, sample interval, sample count. */
    private static Map<String, Object> capture(Findings f) {
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        int samples = 0;
        long[] interval = null;
        for (Series s : f.series()) {
            if (s.size() == 0) {
                continue;
            }
            t0 = Math.min(t0, s.timeMs()[0]);
            t1 = Math.max(t1, s.timeMs()[s.size() - 1]);
            if (s.size() > samples) {
                samples = s.size();
                interval = s.timeMs();
            }
        }
        for (String id : RESIDENT_IDS) {
            Series r = f.series(id);
            if (r != null && r.size() > 0) {
                // the sampler's own series: others (JFR events, merged snapshots) have their own clocks
                samples = r.size();
                interval = r.timeMs();
                break;
            }
        }
        if (interval == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", Instant.ofEpochMilli(t0).toString());
        m.put("end", Instant.ofEpochMilli(t1).toString());
        m.put("span", Units.formatDuration((t1 - t0) / 1000.0));
        m.put("samples", samples);
        if (interval.length > 1) {
            long[] d = new long[interval.length - 1];
            for (int i = 1; i < interval.length; i++) {
                d[i - 1] = interval[i] - interval[i - 1];
            }
            Arrays.sort(d);
            m.put("interval", String.format(Locale.ROOT, "%.1f s", d[d.length / 2] / 1000.0));
        }
        m.put("series", f.series().size());
        return m;
    }

    /** The bundle's capture: settings as given, why it ended, and what it did to the target (capped). */
    private static Map<String, Object> captureDetails(Findings f) {
        Capture c = f.capture();
        if (c == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", c.start() != null ? c.start() : "");
        m.put("end", c.end() != null ? c.end() : "not finished");
        m.put("endReason", c.endReason() != null ? c.endReason() : "");
        List<String> settings = new ArrayList<>();
        c.settings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> settings.add(e.getKey() + "=" + e.getValue()));
        m.put("settings", String.join(" ", settings));
        List<Map<String, Object>> events = new ArrayList<>();
        for (Capture.Event e : c.events().subList(0, Math.min(MAX_LIST, c.events().size()))) {
            events.add(Map.of("time", e.time() != null ? e.time() : "", "kind", e.kind() != null ? e.kind() : "",
                    "duration", (e.durationMs() != null ? e.durationMs() + " ms" : "")
                            + (e.stoppedMs() != null ? ", the target stopped " + e.stoppedMs() + " ms" : ""),
                    "detail", e.detail() != null ? e.detail() : ""));
        }
        m.put("events", events);
        m.put("moreEvents", Math.max(0, c.events().size() - MAX_LIST));
        return m;
    }

    private static List<Map<String, Object>> limits(Findings f) {
        List<Map<String, Object>> out = new ArrayList<>();
        var l = f.limits();
        addLimit(out, "effective limit" + (l.effectiveLimitSource() != null ? " (" + l.effectiveLimitSource() + ")" : ""), l.effectiveLimitBytes());
        addLimit(out, "cgroup memory.max", l.cgroupMaxBytes());
        addLimit(out, "cgroup memory.high", l.cgroupHighBytes());
        addLimit(out, "max heap (-Xmx)", l.maxHeapBytes());
        addLimit(out, "host RAM", l.memTotalBytes());
        addLimit(out, "host swap", l.swapTotalBytes());
        if (l.cgroupPath() != null) {
            out.add(Map.of("name", "cgroup" + (l.cgroupVersion() != null ? " v" + l.cgroupVersion() : ""), "value", l.cgroupPath()));
        }
        return out;
    }

    private static void addLimit(List<Map<String, Object>> out, String name, Long bytes) {
        if (bytes != null) {
            out.add(Map.of("name", name, "value", Units.formatBytes(bytes)));
        }
    }

    /** The commands that reproduce this report from its inputs, with each path shell-quoted. */
    static List<String> reproduce(Findings f) {
        List<String> out = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Input i : f.inputs()) {
            paths.add(shellQuote(i.path()));
        }
        if (!paths.isEmpty()) {
            out.add("leakscope analyze " + String.join(" ", paths) + " -o leakscope-out");
            out.add("leakscope report leakscope-out/findings.json -o report.html");
        }
        if (f.target() != null && f.target().pid() != null && !"offline".equals(f.target().kind())) {
            out.add("leakscope attach " + f.target().pid() + " --duration 10m   # a new capture of the same process, if it still runs");
        }
        for (Input i : f.inputs()) {
            if ("hprof".equals(i.kind())) {
                out.add("ParseHeapDump.sh " + shellQuote(i.path()) + " org.eclipse.mat.api:suspects   # the same dump in Eclipse MAT");
            } else if ("jfr".equals(i.kind())) {
                out.add("jfr summary " + shellQuote(i.path()));
            }
        }
        return out;
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    // ---- formatting ----

    static String rate(double perMinute, boolean bytes) {
        return (bytes ? Units.formatBytes(perMinute) : String.format(Locale.ROOT, "%.3g", perMinute)) + "/min";
    }

    static String sig(double p) {
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }
}
