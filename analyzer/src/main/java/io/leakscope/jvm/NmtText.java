package io.leakscope.jvm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of {@code VM.native_memory summary} and {@code summary.diff} (JDK 8 to 25 layouts): the
 * total and every category's reserved and committed bytes. The diff form's "+N"/"-N" deltas are skipped;
 * its first figures are the current values.
 */
public final class NmtText {
    private static final String AMOUNT = "(\\d+)([KMG]?B)?(?: [+-]\\d+[KMG]?B?)?";
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=" + AMOUNT + ", committed=" + AMOUNT);
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=" + AMOUNT + ", committed=" + AMOUNT + "[,)]");

    /** One category (or the total): bytes. */
    public record Amount(long reserved, long committed) {
    }

    /**
     * @param total      the Total line
     * @param categories category name ("Java Heap", "Other", ...) to its amounts, in the order printed
     */
    public record Snapshot(Amount total, Map<String, Amount> categories) {
    }

    private NmtText() {
    }

    /** True when the text says NMT is not enabled in the target. */
    public static boolean notEnabled(String text) {
        return text.contains("Native memory tracking is not enabled");
    }

    /** @return the snapshot, or null when the text has no Total line */
    public static Snapshot parse(String text) {
        Amount total = null;
        Map<String, Amount> cats = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            String l = line.stripTrailing();
            Matcher m = TOTAL.matcher(l);
            if (m.find()) {
                total = new Amount(bytes(m.group(1), m.group(2)), bytes(m.group(3), m.group(4)));
                continue;
            }
            m = CATEGORY.matcher(l);
            if (m.find()) {
                cats.put(m.group(1).trim(), new Amount(bytes(m.group(2), m.group(3)), bytes(m.group(4), m.group(5))));
            }
        }
        return total == null ? null : new Snapshot(total, cats);
    }

    private static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        if (unit == null) {
            return v;
        }
        return switch (unit) {
            case "KB" -> v << 10;
            case "MB" -> v << 20;
            case "GB" -> v << 30;
            default -> v;
        };
    }

    /** The series id segment for a category: spaces become underscores ("Java Heap" → "Java_Heap"). */
    public static String seriesName(String category) {
        return category.trim().replace(' ', '_');
    }
}
