package io.leakscope.io;

import java.time.Duration;
import java.util.Locale;

/** Parsing and printing of the sizes and durations users type and read: 10m, 5s, 2MB, 1.5GiB. */
public final class Units {
    private Units() {
    }

    /** "500ms", "30s", "10m", "2h", "1d"; a bare number is seconds. */
    public static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char u = t.charAt(t.length() - 1);
            if (Character.isDigit(u)) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            double v = Double.parseDouble(t.substring(0, t.length() - 1));
            long ms = switch (u) {
                case 's' -> Math.round(v * 1000);
                case 'm' -> Math.round(v * 60_000);
                case 'h' -> Math.round(v * 3_600_000);
                case 'd' -> Math.round(v * 86_400_000);
                default -> throw new NumberFormatException();
            };
            return Duration.ofMillis(ms);
        } catch (RuntimeException e) {
            throw new InputException("'" + s + "' is not a duration (examples: 30s, 10m, 2h)");
        }
    }

    /** "2MB", "512k", "1.5GiB", "100"; k/M/G/T are powers of 1024, as JVM flags and cgroups use them. */
    public static long parseBytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        try {
            if (t.isEmpty()) {
                throw new NumberFormatException();
            }
            char u = t.charAt(t.length() - 1);
            long mul = switch (u) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1;
            };
            String num = mul == 1 ? t : t.substring(0, t.length() - 1);
            return Math.round(Double.parseDouble(num) * mul);
        } catch (RuntimeException e) {
            throw new InputException("'" + s + "' is not a size (examples: 512k, 20MB, 2GiB)");
        }
    }

    /** 1536 → "1.5 KiB". */
    public static String formatBytes(double bytes) {
        double a = Math.abs(bytes);
        String[] u = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (a >= 1024 && i < u.length - 1) {
            a /= 1024;
            bytes /= 1024;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f %s", bytes, u[i]) : String.format(Locale.ROOT, "%.1f %s", bytes, u[i]);
    }

    /** 11400 s → "3 h 10 m". */
    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + " m " + (s % 60) + " s";
        }
        long h = m / 60;
        if (h < 48) {
            return h + " h " + (m % 60) + " m";
        }
        return (h / 24) + " d " + (h % 24) + " h";
    }
}
