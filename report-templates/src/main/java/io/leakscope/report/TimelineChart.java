package io.leakscope.report;

import io.leakscope.findings.Growth;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The geometry of one timeline chart, computed from series and their fit, for the template to draw as inline
 * SVG. Only numbers and labels leave here; labels are escaped by the template like everything else.
 * Coordinates are in a fixed viewBox ({@link #W} × {@link #H}) that the browser scales.
 */
final class TimelineChart {
    static final int W = 1000;
    static final int H = 260;
    static final int LEFT = 78;
    static final int RIGHT = 24;
    static final int TOP = 14;
    static final int BOTTOM = 30;
    /** Points per line; longer series are reduced to the min and max of each bucket, so spikes stay visible. */
    static final int MAX_POINTS = 600;
    /** How far past the capture the projection is drawn, in capture lengths. */
    static final double PROJECTION_SPAN = 2.0;
    static final int MAX_MARKS = 60;
    static final String[] PALETTE = {"#1f5fbf", "#c2410c", "#0f766e", "#7c3aed", "#a16207", "#be185d", "#4d7c0f", "#475569"};

    /** A vertical mark: a PSI stall or a memory.events increment. */
    record Mark(long timeMs, String kind, String label) {
    }

    private final String id;
    private final String title;
    private final List<Series> lines = new ArrayList<>();
    private Growth.SignalFit fit;
    private Series fitted;
    private Long limitBytes;
    private String limitLabel;
    private final List<Mark> marks = new ArrayList<>();

    TimelineChart(String id, String title) {
        this.id = id;
        this.title = title;
    }

    TimelineChart line(Series s) {
        lines.add(s);
        return this;
    }

    /** The fit drawn over {@code s}: trend, interval band and projection to the limit. */
    TimelineChart fit(Series s, Growth.SignalFit f) {
        this.fitted = s;
        this.fit = f;
        return this;
    }

    TimelineChart limit(Long bytes, String label) {
        this.limitBytes = bytes;
        this.limitLabel = label;
        return this;
    }

    TimelineChart marks(List<Mark> m) {
        marks.addAll(m);
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The chart as a map for the template. */
    Map<String, Object> model() {
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Series s : lines) {
            for (int i = 0; i < s.size(); i++) {
                if (Double.isFinite(s.values()[i])) {
                    t0 = Math.min(t0, s.timeMs()[i]);
                    t1 = Math.max(t1, s.timeMs()[i]);
                    y0 = Math.min(y0, s.values()[i]);
                    y1 = Math.max(y1, s.values()[i]);
                }
            }
        }
        if (t0 == Long.MAX_VALUE) {
            return null;
        }
        if (t1 == t0) {
            t1 = t0 + 1000;
        }
        long captureEnd = t1;
        Trend trend = trend();
        Long hitMs = null;
        // only growth is projected: a flat or undecided fit is drawn over the capture and stops there
        boolean project = trend != null && (fit.verdict() == Verdict.LEAK || fit.verdict() == Verdict.SATURATING);
        if (project) {
            long projEnd = t1 + (long) ((t1 - t0) * PROJECTION_SPAN);
            if (limitBytes != null && trend.slopePerMs > 0) {
                double hit = trend.anchorT + (limitBytes - trend.anchorY) / trend.slopePerMs;
                if (hit > t1 && hit <= projEnd) {
                    hitMs = (long) hit;
                    projEnd = hitMs + (long) ((hitMs - t0) * 0.04);
                }
            }
            t1 = projEnd;
            y1 = Math.max(y1, trend.at(t1));
            y0 = Math.min(y0, trend.at(trend.fromT));
        }
        boolean limitShown = limitBytes != null && (hitMs != null || limitBytes <= y1 * 1.15);
        if (limitShown) {
            y1 = Math.max(y1, limitBytes);
        }
        double pad = (y1 - y0) * 0.06;
        if (pad <= 0) {
            pad = Math.max(1, Math.abs(y1) * 0.05);
        }
        double lo = Math.max(0, y0 - pad);
        double hi = y1 + pad;
        Scale sc = new Scale(t0, t1, lo, hi);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("w", W);
        m.put("h", H);
        m.put("plot", Map.of("x", LEFT, "y", TOP, "w", W - LEFT - RIGHT, "h", H - TOP - BOTTOM));
        List<Map<String, Object>> ls = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Series s = lines.get(i);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("label", s.label() != null ? s.label() : s.id());
            l.put("color", PALETTE[i % PALETTE.length]);
            l.put("points", points(s, sc));
            l.put("last", Units.formatBytes(s.last()));
            ls.add(l);
        }
        m.put("lines", ls);
        m.put("xTicks", xTicks(sc));
        m.put("yTicks", yTicks(sc));
        if (trend != null) {
            Map<String, Object> tr = new LinkedHashMap<>();
            tr.put("measured", line(sc, trend, trend.fromT, captureEnd, trend.slopePerMs));
            if (project) {
                tr.put("projected", line(sc, trend, captureEnd, t1, trend.slopePerMs));
            }
            tr.put("band", band(sc, trend, trend.fromT, t1));
            tr.put("warmupX", fmt(sc.x(trend.fromT)));
            tr.put("warmup", fit.warmupEndMs() != null && fit.warmupEndMs() > t0);
            ls.get(lines.indexOf(fitted)).put("fitted", true);
            m.put("trend", tr);
            m.put("captureEndX", fmt(sc.x(captureEnd)));
        }
        if (limitShown) {
            m.put("limit", Map.of("y", fmt(sc.y(limitBytes)), "label",
                    (limitLabel != null ? limitLabel : "limit") + " " + Units.formatBytes(limitBytes)));
        }
        if (hitMs != null) {
            m.put("hit", Map.of("x", fmt(sc.x(hitMs)), "y", fmt(sc.y(limitBytes)),
                    "label", "reaches the limit " + Units.formatDuration((hitMs - captureEnd) / 1000.0) + " after the capture (fitted slope)"));
        }
        List<Map<String, Object>> mk = new ArrayList<>();
        for (Mark k : marks.subList(0, Math.min(MAX_MARKS, marks.size()))) {
            if (k.timeMs() >= t0 && k.timeMs() <= captureEnd) {
                mk.add(Map.of("x", fmt(sc.x(k.timeMs())), "kind", k.kind(), "label", k.label()));
            }
        }
        m.put("marks", mk);
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (Map<String, Object> k : mk) {
            kinds.add((String) k.get("kind"));
        }
        m.put("markKinds", new ArrayList<>(kinds));
        m.put("moreMarks", Math.max(0, marks.size() - MAX_MARKS));
        return m;
    }

    /** The fitted line, anchored like Theil–Sen's intercept: the median of y − slope·(t − median t) after warm-up. */
    private Trend trend() {
        if (fit == null || fitted == null || fit.slopePerMinute() == null || !lines.contains(fitted)) {
            return null;
        }
        long from = fit.warmupEndMs() != null ? fit.warmupEndMs() : fitted.timeMs()[0];
        double[] ts = new double[fitted.size()];
        double[] ys = new double[fitted.size()];
        int n = 0;
        for (int i = 0; i < fitted.size(); i++) {
            if (fitted.timeMs()[i] >= from && Double.isFinite(fitted.values()[i])) {
                ts[n] = fitted.timeMs()[i];
                ys[n] = fitted.values()[i];
                n++;
            }
        }
        if (n < 2) {
            return null;
        }
        double slope = fit.slopePerMinute() / 60_000.0;
        double tMed = median(Arrays.copyOf(ts, n));
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            res[i] = ys[i] - slope * (ts[i] - tMed);
        }
        double low = fit.slopeLow() != null ? fit.slopeLow() / 60_000.0 : slope;
        double high = fit.slopeHigh() != null ? fit.slopeHigh() / 60_000.0 : slope;
        return new Trend((long) ts[0], tMed, median(res), slope, Math.min(low, slope), Math.max(high, slope));
    }

    private record Trend(long fromT, double anchorT, double anchorY, double slopePerMs, double lowPerMs,
                         double highPerMs) {
        double at(double t) {
            return anchorY + slopePerMs * (t - anchorT);
        }

        double at(double t, double slope) {
            return anchorY + slope * (t - anchorT);
        }
    }

    private record Scale(double t0, double t1, double lo, double hi) {
        double x(double t) {
            return LEFT + (t - t0) / (t1 - t0) * (W - LEFT - RIGHT);
        }

        double y(double v) {
            return TOP + (1 - (v - lo) / (hi - lo)) * (H - TOP - BOTTOM);
        }
    }

    private static Map<String, Object> line(Scale sc, Trend tr, double from, double to, double slope) {
        return Map.of("x1", fmt(sc.x(from)), "y1", fmt(sc.y(tr.at(from, slope))),
                "x2", fmt(sc.x(to)), "y2", fmt(sc.y(tr.at(to, slope))));
    }

    /** The polygon between the lines at the slope's lower and upper bounds. */
    private static String band(Scale sc, Trend tr, double from, double to) {
        return pt(sc.x(from), sc.y(tr.at(from, tr.highPerMs))) + " " + pt(sc.x(to), sc.y(tr.at(to, tr.highPerMs))) + " "
                + pt(sc.x(to), sc.y(tr.at(to, tr.lowPerMs))) + " " + pt(sc.x(from), sc.y(tr.at(from, tr.lowPerMs)));
    }

    static String points(Series s, Scale sc) {
        StringBuilder b = new StringBuilder(Math.min(s.size(), MAX_POINTS * 2) * 14);
        int n = s.size();
        if (n <= MAX_POINTS) {
            for (int i = 0; i < n; i++) {
                append(b, sc, s.timeMs()[i], s.values()[i]);
            }
            return b.toString();
        }
        int buckets = MAX_POINTS / 2;
        for (int k = 0; k < buckets; k++) {
            int from = (int) ((long) k * n / buckets);
            int to = (int) ((long) (k + 1) * n / buckets);
            int iMin = -1;
            int iMax = -1;
            for (int i = from; i < to; i++) {
                double v = s.values()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (iMin < 0 || v < s.values()[iMin]) {
                    iMin = i;
                }
                if (iMax < 0 || v > s.values()[iMax]) {
                    iMax = i;
                }
            }
            if (iMin >= 0) {
                int a = Math.min(iMin, iMax);
                int c = Math.max(iMin, iMax);
                append(b, sc, s.timeMs()[a], s.values()[a]);
                if (c != a) {
                    append(b, sc, s.timeMs()[c], s.values()[c]);
                }
            }
        }
        return b.toString();
    }

    private static void append(StringBuilder b, Scale sc, long t, double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(pt(sc.x(t), sc.y(v)));
    }

    private static List<Map<String, Object>> xTicks(Scale sc) {
        double spanSec = (sc.t1() - sc.t0()) / 1000.0;
        double step = niceStep(spanSec / 6, new double[]{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
                7200, 10800, 21600, 43200, 86400, 172800, 604800});
        List<Map<String, Object>> out = new ArrayList<>();
        for (double s = 0; s <= spanSec + 1e-9; s += step) {
            out.add(Map.of("x", fmt(sc.x(sc.t0() + s * 1000)), "label", s == 0 ? "0" : "+" + tickDuration(s)));
        }
        return out;
    }

    /** Short labels for round tick values: 30 s, 5 min, 2 h, 1 h 30 min, 3 d. */
    static String tickDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        if (s < 172800) {
            long m = (s % 3600) / 60;
            return s / 3600 + " h" + (m > 0 ? " " + m + " min" : "");
        }
        return s / 86400 + " d" + (s % 86400 >= 3600 ? " " + (s % 86400) / 3600 + " h" : "");
    }

    private static List<Map<String, Object>> yTicks(Scale sc) {
        double span = sc.hi() - sc.lo();
        double raw = span / 5;
        // powers of two read as round byte sizes (64 MiB, 128 MiB): 3 to 5 ticks
        double step = Math.pow(2, Math.ceil(Math.log(raw) / Math.log(2)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (double v = Math.ceil(sc.lo() / step) * step; v <= sc.hi(); v += step) {
            out.add(Map.of("y", fmt(sc.y(v)), "label", Units.formatBytes(v)));
        }
        return out;
    }

    private static double niceStep(double raw, double[] steps) {
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return Math.ceil(raw / steps[steps.length - 1]) * steps[steps.length - 1];
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static String pt(double x, double y) {
        return fmt(x) + "," + fmt(y);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
