package io.leakscope.smaps;

import java.util.HashMap;
import java.util.Map;

/**
 * /proc/PID/smaps summed per region: what kind of memory grows. Shared by the live collector and the import
 * of smaps captures a user collected with a shell loop.
 *
 * <p>Regions: {@code [heap]} (glibc's main arena below the break), {@code anon} (unnamed anonymous
 * mappings: other malloc arenas, large mallocs, thread stacks, JIT code, a JVM's Java heap), named anonymous
 * mappings {@code [anon:NAME]} (Linux 5.17+, e.g. Go's and glibc's tunables), {@code [stack]}, and each
 * mapped file by path (shared libraries, memory-mapped data).
 */
public final class Smaps {
    private Smaps() {
    }

    /** Resident bytes per region. */
    public static Map<String, Long> rssByRegion(CharSequence smaps) {
        Map<String, Long> out = new HashMap<>();
        String region = null;
        int n = smaps.length();
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && smaps.charAt(end) != '\n') {
                end++;
            }
            if (end > i) {
                char c = smaps.charAt(i);
                boolean header = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                if (header && isMappingHeader(smaps, i, end)) {
                    region = regionOf(smaps, i, end);
                } else if (region != null && startsWith(smaps, i, "Rss:")) {
                    out.merge(region, kilobytes(smaps, i + 4, end) * 1024, Long::sum);
                }
            }
            i = end + 1;
        }
        return out;
    }

    /** "7f1c2a000000-7f1c2a021000 rw-p ..." (a key line like "Rss:" has no '-' before its first space). */
    private static boolean isMappingHeader(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '-') {
                return true;
            }
            if (c == ' ' || c == ':') {
                return false;
            }
        }
        return false;
    }

    /** The sixth field (pathname), or "anon" when there is none. */
    private static String regionOf(CharSequence s, int from, int to) {
        int field = 0;
        int i = from;
        while (i < to && field < 5) {
            while (i < to && s.charAt(i) != ' ') {
                i++;
            }
            while (i < to && s.charAt(i) == ' ') {
                i++;
            }
            field++;
        }
        String path = s.subSequence(i, to).toString().trim();
        return path.isEmpty() ? "anon" : path;
    }

    private static boolean startsWith(CharSequence s, int from, String prefix) {
        if (s.length() - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (s.charAt(from + k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static long kilobytes(CharSequence s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
            } else if (v > 0) {
                break;
            }
        }
        return v;
    }

    /** A series id for a region: {@code smaps.<region>.rss}, with characters a series file cannot hold replaced. */
    public static String seriesId(String region) {
        return "smaps." + region.replaceAll("[,|\\s]", "_") + ".rss";
    }
}
