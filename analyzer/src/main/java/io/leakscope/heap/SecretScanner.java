package io.leakscope.heap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds credential-shaped values in byte[] and char[] contents (String values) while the dump streams by.
 * Keeps, per hit, the array's object index, the kind of credential and a masked prefix; the value itself only
 * when asked to ({@code --show-values}).
 */
final class SecretScanner {
    static final int MIN_LENGTH = 16;
    static final String[] KINDS = {"openai-style key (sk-)", "aws access key id (AKIA)", "github token (ghp_/gho_/ghs_/github_pat_)",
            "slack token (xox?-)", "jwt", "bearer token"};
    private static final int MAX_HITS = 1_000_000;

    /** The first characters of the shapes {@link #scan} looks for. */
    private static final boolean[] STARTS = new boolean[128];

    static {
        for (char c : "sAgxeB".toCharArray()) {
            STARTS[c] = true;
        }
    }

    private final boolean keepValues;
    long arraysScanned;
    private int[] objects = new int[64];
    private byte[] kinds = new byte[64];
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private int count;
    private long dropped;

    SecretScanner(boolean keepValues) {
        this.keepValues = keepValues;
    }

    /** The fewest characters of a value {@link #scan} reports: "xox" and 12 more. */
    static final int MIN_TOKEN = 15;

    /** The characters a reported value can hold: base64url, a JWT's dots, the space of "Bearer ". */
    private static final boolean[] IN_TOKEN = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            IN_TOKEN[c] = base64url((byte) c) || c == '.' || c == ' ';
        }
    }

    /** Scans {@code len} bytes at {@code off}; {@code step} 2 reads the low byte of big-endian chars. */
    void scan(byte[] b, int off, int len, int step, int object) {
        int end = off + len;
        int span = (MIN_TOKEN - 1) * step;
        int i = step == 2 ? off + 1 : off;
        // a value of MIN_TOKEN characters or more that starts anywhere from i to i + span holds the character at
        // i + span: where that one cannot be in a value, none starts there, and the scan moves past it. Zeroed and
        // binary arrays go by a look every 15 bytes instead of every byte (the 142 MB dump's 30 MB of them: pass 2
        // 40 ms of CPU less); text, a look more every 15
        while (i + span < end) {
            int probe = i + span;
            int c = b[probe];
            if (c < 0 || !IN_TOKEN[c]) {
                i = probe + step;
                continue;
            }
            for (; i <= probe; i += step) {
                int d = b[i];
                if (d >= 0 && STARTS[d]) { // a load and a branch for almost every byte
                    i = examine(b, i, end, step, object);
                }
            }
        }
    }

    /** What {@link #scan} must find: every position looked at (for the tests). */
    void scanEveryPosition(byte[] b, int off, int len, int step, int object) {
        int end = off + len;
        for (int i = step == 2 ? off + 1 : off; i < end; i += step) {
            int d = b[i];
            if (d >= 0 && STARTS[d]) {
                i = examine(b, i, end, step, object);
            }
        }
    }

    /** Records the value that starts at {@code i}, if any, and returns its last position; else {@code i}. */
    private int examine(byte[] b, int i, int end, int step, int object) {
        int m;
        switch (b[i]) {
            case 's':
                m = match(b, i, end, step, "sk-", 20, 0);
                break;
            case 'A':
                m = match(b, i, end, step, "AKIA", 16, 1);
                break;
            case 'g':
                m = Math.max(Math.max(match(b, i, end, step, "ghp_", 20, 2), match(b, i, end, step, "gho_", 20, 2)),
                        Math.max(match(b, i, end, step, "ghs_", 20, 2), match(b, i, end, step, "github_pat_", 20, 2)));
                break;
            case 'x':
                m = match(b, i, end, step, "xox", 12, 3);
                break;
            case 'e':
                m = jwt(b, i, end, step);
                break;
            case 'B':
                m = match(b, i, end, step, "Bearer ", 20, 5);
                break;
            default:
                return i;
        }
        if (m <= 0) {
            return i;
        }
        int kind = m >>> 24;
        int tokenLen = m & 0xffffff;
        record(object, kind, b, i, tokenLen, step);
        return i + (tokenLen - 1) * step;
    }

    /** Length of a token at i that starts with prefix and continues with at least minTail token chars, or 0. */
    private static int match(byte[] b, int i, int end, int step, String prefix, int minTail, int kind) {
        int p = i;
        for (int k = 0; k < prefix.length(); k++, p += step) {
            if (p >= end || b[p] != prefix.charAt(k)) {
                return 0;
            }
        }
        if (i > step - 1 && i - step >= 0 && tokenChar(b[i - step]) && kind != 5) {
            return 0; // inside a longer word
        }
        int tail = 0;
        while (p < end && tokenChar(b[p])) {
            tail++;
            p += step;
        }
        if (tail < minTail) {
            return 0;
        }
        return (kind << 24) | (prefix.length() + tail);
    }

    private static int jwt(byte[] b, int i, int end, int step) {
        int p = i;
        int parts = 0;
        int partLen = 0;
        if (p + 2 * step >= end || b[p + step] != 'y' || b[p + 2 * step] != 'J') {
            return 0;
        }
        while (p < end) {
            byte c = b[p];
            if (c == '.') {
                if (partLen < 10) {
                    return 0;
                }
                parts++;
                partLen = 0;
            } else if (base64url(c)) {
                partLen++;
            } else {
                break;
            }
            p += step;
        }
        if (partLen >= 10) {
            parts++;
        }
        return parts >= 3 ? (4 << 24) | ((p - i) / step) : 0;
    }

    private static boolean base64url(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean tokenChar(byte c) {
        return base64url(c);
    }

    private void record(int object, int kind, byte[] b, int at, int tokenLen, int step) {
        if (count == MAX_HITS) {
            dropped++;
            return;
        }
        if (count == objects.length) {
            objects = Arrays.copyOf(objects, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        objects[count] = object;
        kinds[count] = (byte) kind;
        int show = kind == 5 ? 11 : 4; // "Bearer " + 4
        StringBuilder masked = new StringBuilder();
        for (int k = 0; k < Math.min(show, tokenLen); k++) {
            masked.append((char) b[at + k * step]);
        }
        prefixes.add(masked.append("…").toString());
        if (keepValues) {
            StringBuilder v = new StringBuilder();
            for (int k = 0; k < tokenLen; k++) {
                v.append((char) b[at + k * step]);
            }
            values.add(v.toString());
        }
        count++;
    }

    Hits done() {
        return new Hits(arraysScanned, Arrays.copyOf(objects, count), Arrays.copyOf(kinds, count),
                List.copyOf(prefixes), keepValues ? List.copyOf(values) : List.of(), dropped);
    }

    /** The hits of the parts of a dump, in the parts' order, as one (still at most {@code MAX_HITS} kept). */
    static Hits concat(List<Hits> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long scanned = 0;
        long dropped = 0;
        int n = 0;
        for (Hits h : parts) {
            scanned += h.arraysScanned();
            dropped += h.dropped();
            n += h.objects().length;
        }
        int keep = Math.min(n, MAX_HITS);
        dropped += n - keep;
        int[] objects = new int[keep];
        byte[] kinds = new byte[keep];
        List<String> prefixes = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int at = 0;
        for (Hits h : parts) {
            int take = Math.min(h.objects().length, keep - at);
            System.arraycopy(h.objects(), 0, objects, at, take);
            System.arraycopy(h.kinds(), 0, kinds, at, take);
            prefixes.addAll(h.maskedPrefixes().subList(0, take));
            values.addAll(h.values().subList(0, Math.min(take, h.values().size())));
            at += take;
        }
        return new Hits(scanned, objects, kinds, List.copyOf(prefixes), List.copyOf(values), dropped);
    }

    /** What the scan found: parallel arrays, one entry per credential-shaped value. */
    record Hits(long arraysScanned, int[] objects, byte[] kinds, List<String> maskedPrefixes, List<String> values,
                long dropped) {
    }
}
