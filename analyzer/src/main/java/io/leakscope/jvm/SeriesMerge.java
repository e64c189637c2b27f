package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.findings.Series;

import java.util.Arrays;

/**
 * Adds points to a series of the findings, merging by time with what earlier inputs gave for the same id.
 * Snapshots (NMT texts, histograms) arrive one file at a time and must end up as one series each.
 */
final class SeriesMerge {
    private SeriesMerge() {
    }

    static void add(FindingsBuilder out, Series s) {
        Series old = out.series.get(s.id());
        if (old == null || old.size() == 0) {
            out.add(s);
            return;
        }
        int n = old.size() + s.size();
        long[] t = Arrays.copyOf(old.timeMs(), n);
        double[] v = Arrays.copyOf(old.values(), n);
        System.arraycopy(s.timeMs(), 0, t, old.size(), s.size());
        System.arraycopy(s.values(), 0, v, old.size(), s.size());
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
        long[] ts = new long[n];
        double[] vs = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int j = order[i];
            if (k > 0 && ts[k - 1] == t[j]) {
                vs[k - 1] = v[j]; // the same instant twice: keep one
                continue;
            }
            ts[k] = t[j];
            vs[k++] = v[j];
        }
        out.add(new Series(old.id(), old.label(), old.unit(), old.source(), old.role(), old.parent(),
                Arrays.copyOf(ts, k), Arrays.copyOf(vs, k)));
    }

    static void point(FindingsBuilder out, String id, String label, String unit, String source, String role,
                      String parent, long timeMs, double value) {
        add(out, new Series(id, label, unit, source, role, parent, new long[]{timeMs}, new double[]{value}));
    }

    /** A class name as a series id segment: histogram and JFR spellings agree ("byte[]", no module). */
    static String className(String raw) {
        String n = raw.trim();
        int sp = n.indexOf(' ');
        if (sp > 0) {
            n = n.substring(0, sp); // "java.lang.String (java.base@17.0.15)"
        }
        int dims = 0;
        while (dims < n.length() && n.charAt(dims) == '[') {
            dims++;
        }
        if (dims > 0) {
            String elem = n.substring(dims);
            String base = switch (elem) {
                case "B" -> "byte";
                case "C" -> "char";
                case "S" -> "short";
                case "I" -> "int";
                case "J" -> "long";
                case "F" -> "float";
                case "D" -> "double";
                case "Z" -> "boolean";
                default -> elem.startsWith("L") && elem.endsWith(";") ? elem.substring(1, elem.length() - 1) : elem;
            };
            n = base + "[]".repeat(dims);
        }
        return n.replace('/', '.');
    }
}
