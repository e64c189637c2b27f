package io.leakscope.jvm;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code GC.class_histogram} text (jcmd / jmap -histo layouts, with or without the module column). */
public final class HistogramText {
    /** One class: live instances and their shallow bytes. */
    public record Row(String className, long instances, long bytes) {
    }

    /** @param rows largest first, as printed; @param totalBytes the Total line, or the sum of the rows */
    public record Histogram(List<Row> rows, long totalInstances, long totalBytes) {
    }

    private HistogramText() {
    }

    /** @return the histogram, or null when no row was found */
    public static Histogram parse(String text) {
        List<Row> rows = new ArrayList<>();
        long totalInstances = -1;
        long totalBytes = -1;
        long sumI = 0;
        long sumB = 0;
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            if (l.startsWith("Total")) {
                String[] p = l.split("\\s+");
                if (p.length >= 3) {
                    try {
                        totalInstances = Long.parseLong(p[1]);
                        totalBytes = Long.parseLong(p[2]);
                    } catch (NumberFormatException ignored) {
                        // not the total line
                    }
                }
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !isDigits(l, 0, colon)) {
                continue;
            }
            String[] p = l.substring(colon + 1).strip().split("\\s+", 3);
            if (p.length < 3) {
                continue;
            }
            try {
                long n = Long.parseLong(p[0]);
                long b = Long.parseLong(p[1]);
                rows.add(new Row(SeriesMerge.className(p[2]), n, b));
                sumI += n;
                sumB += b;
            } catch (NumberFormatException ignored) {
                // a damaged row: skip it
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        return new Histogram(rows, totalInstances >= 0 ? totalInstances : sumI, totalBytes >= 0 ? totalBytes : sumB);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
