package io.leakscope.report;

import io.leakscope.findings.Findings;
import io.leakscope.findings.Heap;
import io.leakscope.io.Units;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.leakscope.report.ReportView.MAX_LIST;
import static io.leakscope.report.ReportView.MAX_PATH_DEPTH;
import static io.leakscope.report.ReportView.MAX_SUSPECTS;
import static io.leakscope.report.ReportView.MAX_TREE_PATHS;

/** The heap sections of the report view: the growing-path tree, suspects, dumps and the secret scan, capped. */
final class HeapView {
    private HeapView() {
    }

    /**
     * The growing dominator paths merged into one tree by their common prefixes (from the GC root down),
     * so shared roots show once. Each node carries the retained bytes and counts per dump where a path ends.
     */
    static Map<String, Object> tree(Findings f) {
        List<Heap.GrowingPath> paths = f.heap().growing();
        Node root = new Node("GC roots");
        int shown = Math.min(MAX_TREE_PATHS, paths.size());
        for (Heap.GrowingPath g : paths.subList(0, shown)) {
            List<String> steps = g.pathFromRoot().isEmpty() ? List.of(g.signature()) : g.pathFromRoot();
            Node n = root;
            for (String step : steps.subList(0, Math.min(MAX_PATH_DEPTH, steps.size()))) {
                n = n.child(step);
            }
            n.paths.add(g);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("root", root.model());
        t.put("shown", shown);
        t.put("total", paths.size());
        int dumps = 0;
        for (Heap.GrowingPath g : paths) {
            dumps = Math.max(dumps, g.retainedBytes().size());
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < dumps; i++) {
            labels.add("dump " + (i + 1));
        }
        t.put("dumpLabels", labels);
        return t;
    }

    private static final class Node {
        final String label;
        final Map<String, Node> children = new LinkedHashMap<>();
        final List<Heap.GrowingPath> paths = new ArrayList<>();

        Node(String label) {
            this.label = label;
        }

        Node child(String step) {
            return children.computeIfAbsent(step, Node::new);
        }

        /** A chain of single children with nothing growing in between is shown as one node of several steps. */
        Map<String, Object> model() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<String> steps = new ArrayList<>();
            steps.add(label);
            Node n = this;
            while (n.paths.isEmpty() && n.children.size() == 1) {
                n = n.children.values().iterator().next();
                steps.add(n.label);
            }
            m.put("steps", steps);
            m.put("paths", countPaths(n));
            List<Map<String, Object>> growing = new ArrayList<>();
            for (Heap.GrowingPath g : n.paths) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("signature", g.signature());
                p.put("accumulationPoint", g.accumulationPoint());
                p.put("bytes", g.retainedBytes().stream().map(Units::formatBytes).toList());
                p.put("counts", g.objectCount().stream().map(String::valueOf).toList());
                p.put("rate", g.bytesPerMinute() != null ? ReportView.rate(g.bytesPerMinute(), true)
                        : Units.formatBytes(g.bytesPerDump()) + " per dump");
                p.put("accumulated", accumulatedRows(g.accumulated()));
                growing.add(p);
            }
            m.put("growing", growing);
            List<Map<String, Object>> cs = new ArrayList<>();
            for (Node c : n.children.values()) {
                cs.add(c.model());
            }
            m.put("children", cs);
            return m;
        }
    }

    private static int countPaths(Node n) {
        int c = n.paths.size();
        for (Node k : n.children.values()) {
            c += countPaths(k);
        }
        return c;
    }

    /** What accumulates under a growing path: per class, count and retained bytes in each dump. */
    private static List<Map<String, Object>> accumulatedRows(List<Heap.Accumulated> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (rows == null) {
            return out;
        }
        for (Heap.Accumulated r : rows.subList(0, Math.min(MAX_LIST, rows.size()))) {
            List<String> cells = new ArrayList<>();
            int n = Math.max(r.count() == null ? 0 : r.count().size(), r.bytes() == null ? 0 : r.bytes().size());
            for (int i = 0; i < n; i++) {
                String c = r.count() != null && i < r.count().size() ? String.valueOf(r.count().get(i)) : "";
                String b = r.bytes() != null && i < r.bytes().size() ? Units.formatBytes(r.bytes().get(i)) : "";
                cells.add(c + " · " + b);
            }
            out.add(Map.of("className", r.className(), "perDump", cells));
        }
        return out;
    }

    private static List<Map<String, Object>> classRows(List<Heap.ClassRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (rows == null) {
            return out;
        }
        for (Heap.ClassRow r : rows.subList(0, Math.min(MAX_LIST, rows.size()))) {
            out.add(Map.of("className", r.className(), "count", r.count(), "shallow", Units.formatBytes(r.shallowBytes()),
                    "retained", r.retainedBytes() > 0 ? Units.formatBytes(r.retainedBytes()) : ""));
        }
        return out;
    }

    static List<Map<String, Object>> suspects(Findings f) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Heap.LeakSuspect> ss = f.heap().suspects();
        for (Heap.LeakSuspect s : ss.subList(0, Math.min(MAX_SUSPECTS, ss.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", s.description());
            m.put("className", s.className());
            m.put("retained", Units.formatBytes(s.retainedBytes()));
            m.put("share", Math.round(s.shareOfHeap() * 100) + "%");
            m.put("dump", s.dump() != null ? s.dump() : "");
            m.put("accumulationPoint", s.accumulationPoint());
            List<String> path = s.pathFromRoot() == null ? List.of() : s.pathFromRoot();
            m.put("path", path.subList(0, Math.min(MAX_PATH_DEPTH, path.size())));
            m.put("accumulated", classRows(s.accumulated()));
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> dumps(Findings f) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Heap.DumpSummary d : f.heap().dumps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", d.path());
            m.put("time", d.timestampMs() != null ? Instant.ofEpochMilli(d.timestampMs()).toString() : "");
            m.put("objects", d.objects());
            m.put("shallow", Units.formatBytes(d.shallowBytes()));
            m.put("partial", d.partial());
            m.put("partialReason", d.partialReason() != null ? d.partialReason() : "");
            m.put("reachable", Units.formatBytes(d.reachableBytes()));
            m.put("soft", d.softlyHeldBytes() > 0 ? Units.formatBytes(d.softlyHeldBytes()) : "");
            m.put("reachableObjects", d.reachableObjects());
            m.put("histogram", classRows(d.histogram()));
            out.add(m);
        }
        return out;
    }

    /**
     * The newest dump's class histogram (by exact retained size) and top dominators, as MAT opens a dump: what a
     * single dump, an OutOfMemoryError's say, can tell. Null without dumps; rows carry raw values to sort by.
     */
    static Map<String, Object> newestDump(Findings f) {
        Heap.DumpSummary newest = f.heap().newestDump();
        if (newest == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", newest.path());
        List<Map<String, Object>> histogram = new ArrayList<>();
        List<Heap.ClassRow> rows = newest.histogram() == null ? List.of() : newest.histogram();
        for (Heap.ClassRow r : rows.subList(0, Math.min(MAX_LIST, rows.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("className", r.className());
            row.put("count", r.count());
            row.put("shallow", Units.formatBytes(r.shallowBytes()));
            row.put("shallowV", r.shallowBytes());
            row.put("retained", Units.formatBytes(r.retainedBytes()));
            row.put("retainedV", r.retainedBytes());
            histogram.add(row);
        }
        m.put("histogram", histogram);
        m.put("moreClasses", Math.max(0, rows.size() - histogram.size()));
        List<Map<String, Object>> dominators = new ArrayList<>();
        List<Heap.Dominator> ds = newest.topDominators() == null ? List.of() : newest.topDominators();
        for (Heap.Dominator d : ds.subList(0, Math.min(MAX_LIST, ds.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("className", d.className());
            row.put("retained", Units.formatBytes(d.retainedBytes()));
            row.put("retainedV", d.retainedBytes());
            row.put("objects", d.retainedObjects());
            List<String> path = d.pathFromRoot() == null ? List.of() : d.pathFromRoot();
            row.put("path", path.subList(0, Math.min(MAX_PATH_DEPTH, path.size())));
            dominators.add(row);
        }
        m.put("dominators", dominators);
        return m;
    }

    /** Counts per holder; masked prefixes always, the values only when the analysis was asked to show them. */
    static Map<String, Object> secrets(Findings f) {
        Heap.SecretScan s = f.heap().secrets();
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scanned", s.arraysScanned());
        m.put("suspected", s.suspected());
        m.put("valuesShown", s.valuesShown());
        List<Map<String, Object>> holders = new ArrayList<>();
        if (s.holders() != null) {
            for (Heap.SecretHolder h : s.holders().subList(0, Math.min(MAX_LIST, s.holders().size()))) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("dump", h.dump() != null ? h.dump() : "");
                r.put("retainedBy", h.retainedBy() != null ? h.retainedBy() : "");
                r.put("kind", h.kind() != null ? h.kind() : "");
                r.put("count", h.count());
                r.put("masked", h.maskedPrefixes() == null ? "" : String.join(" ", h.maskedPrefixes()));
                if (s.valuesShown() && h.values() != null) {
                    r.put("values", h.values());
                }
                holders.add(r);
            }
        }
        m.put("holders", holders);
        m.put("moreHolders", s.holders() == null ? 0 : Math.max(0, s.holders().size() - MAX_LIST));
        return m;
    }
}
