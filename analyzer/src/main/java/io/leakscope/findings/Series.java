package io.leakscope.findings;

import java.util.Arrays;

/**
 * One measured quantity over time. Times are epoch milliseconds; both arrays have the same length.
 *
 * @param id     stable name, dotted: process.rss, jvm.heap.after_gc, nmt.Other.committed, smaps.[heap].rss,
 *               class.java.lang.String.bytes, memray.rss
 * @param label  for people
 * @param unit   bytes, count, ratio, or percent
 * @param source where it came from: proc, smaps, cgroup, psi, jfr, nmt, histogram, memray
 * @param role   total (the whole of something), part (a piece of the total named by {@code parent}),
 *               or context (not fitted for growth: PSI, events)
 * @param parent for parts, the id of the total they add up to
 */
public record Series(String id, String label, String unit, String source, String role, String parent,
                     long[] timeMs, double[] values) {
    public Series {
        if (timeMs == null || values == null || timeMs.length != values.length) {
            throw new IllegalArgumentException("series " + id + ": times and values differ in length");
        }
    }

    public int size() {
        return values.length;
    }

    public double last() {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && id.equals(s.id) && java.util.Objects.equals(label, s.label)
                && java.util.Objects.equals(unit, s.unit) && java.util.Objects.equals(source, s.source)
                && java.util.Objects.equals(role, s.role) && java.util.Objects.equals(parent, s.parent)
                && Arrays.equals(timeMs, s.timeMs) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Series[" + id + ", " + values.length + " points, " + unit + "]";
    }
}
