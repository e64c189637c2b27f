package io.leakscope.smaps;

import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-region resident sizes over time, as series {@code smaps.<region>.rss} that are parts of
 * {@code process.rss}. Regions come and go (a library is loaded, an arena appears), so the columns are only
 * known at the end: the biggest {@link #TOP} regions by peak keep their own series, the rest is summed into
 * {@code smaps.other.rss}.
 */
public final class SmapsSeries {
    public static final int TOP = 12;
    public static final String OTHER = "smaps.other.rss";

    private final String idPrefix;
    private final String labelPrefix;
    private final String parent;
    private final String totalId;
    private final List<Long> times = new ArrayList<>();
    private final List<Map<String, Long>> samples = new ArrayList<>();

    /** Per-region series of smaps, parts of {@code process.rss}. */
    public SmapsSeries() {
        this("smaps.", "smaps ", "process.rss", null);
    }

    /**
     * The same for other keyed parts, e.g. the processes of a tree.
     *
     * @param totalId when not null, a total series summing every key is added, and the parts belong to it
     */
    public SmapsSeries(String idPrefix, String labelPrefix, String parent, String totalId) {
        this.idPrefix = idPrefix;
        this.labelPrefix = labelPrefix;
        this.parent = totalId != null ? totalId : parent;
        this.totalId = totalId;
    }

    private String id(String key) {
        return idPrefix + key.replaceAll("[,|\\s]", "_") + ".rss";
    }

    public void add(long timeMs, Map<String, Long> rssByRegion) {
        times.add(timeMs);
        samples.add(rssByRegion);
    }

    public int size() {
        return times.size();
    }

    /** The regions that keep their own series, biggest peak first. */
    List<String> topRegions() {
        Map<String, Long> peak = new HashMap<>();
        for (Map<String, Long> s : samples) {
            s.forEach((k, v) -> peak.merge(k, v, Math::max));
        }
        return peak.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP).map(Map.Entry::getKey).toList();
    }

    public List<Series> series(String source) {
        List<String> top = topRegions();
        List<Series> out = new ArrayList<>();
        long[] t = times.stream().mapToLong(Long::longValue).toArray();
        double[] other = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            long sum = 0;
            for (Map.Entry<String, Long> e : samples.get(i).entrySet()) {
                if (!top.contains(e.getKey())) {
                    sum += e.getValue();
                }
            }
            other[i] = sum;
        }
        if (totalId != null) {
            double[] sum = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                sum[i] = samples.get(i).values().stream().mapToLong(Long::longValue).sum();
            }
            out.add(new Series(totalId, totalId, "bytes", source, "total", null, t, sum));
        }
        for (String region : top) {
            double[] v = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                v[i] = samples.get(i).getOrDefault(region, 0L);
            }
            out.add(new Series(id(region), labelPrefix + region, "bytes", source, "part", parent, t, v));
        }
        out.add(new Series(idPrefix + "other.rss", labelPrefix + "(others)", "bytes", source, "part", parent, t, other));
        return out;
    }

    /** Writes the series as a leakscope series file. */
    public void write(Path csv, String source) throws IOException {
        List<Series> s = series(source);
        List<SeriesCsv.Column> cols = s.stream().map(x -> x.parent() == null ? SeriesCsv.Column.total(x.id(), "bytes")
                : SeriesCsv.Column.part(x.id(), "bytes", x.parent())).toList();
        try (SeriesCsv.Writer w = new SeriesCsv.Writer(csv, cols)) {
            for (int i = 0; i < times.size(); i++) {
                double[] row = new double[s.size()];
                for (int k = 0; k < s.size(); k++) {
                    row[k] = s.get(k).values()[i];
                }
                w.append(times.get(i), row);
            }
        }
    }
}
