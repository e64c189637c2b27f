package io.leakscope.smaps;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of /proc snapshots a user took with a shell loop (docs/formats.md):
 * {@code status.EPOCH}, {@code smaps_rollup.EPOCH} and/or {@code smaps.EPOCH}, EPOCH in seconds or
 * milliseconds since 1970. Becomes the same series a live capture has: {@code process.rss} (total),
 * {@code process.anon}, {@code process.swap}, and per region {@code smaps.<region>.rss}.
 */
public final class SmapsCaptureReader implements InputReader {
    private static final Pattern NAME = Pattern.compile("(status|smaps_rollup|smaps)\\.(\\d{9,13})");

    @Override
    public void read(Path dir, Artifact artifact, FindingsBuilder out) throws IOException {
        Map<Long, Map<String, Path>> byTime = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    long t = Long.parseLong(m.group(2));
                    byTime.computeIfAbsent(t < 100_000_000_000L ? t * 1000 : t, k -> new HashMap<>()).put(m.group(1), f);
                }
            }
        }
        if (byTime.isEmpty()) {
            throw new InputException(dir + ": not a bundle or a smaps capture (expected files named status.EPOCH,"
                    + " smaps_rollup.EPOCH or smaps.EPOCH; see docs/formats.md)");
        }
        List<Long> t = new ArrayList<>();
        List<double[]> rows = new ArrayList<>(); // rss, anon, swap
        SmapsSeries regions = new SmapsSeries();
        for (Map.Entry<Long, Map<String, Path>> e : byTime.entrySet()) {
            Map<String, Path> files = e.getValue();
            double rss = Double.NaN;
            double anon = Double.NaN;
            double swap = Double.NaN;
            if (files.containsKey("status")) {
                Map<String, Long> s = keyValues(read(files.get("status")));
                rss = num(s.get("VmRSS"));
                anon = num(s.get("RssAnon"));
                swap = num(s.get("VmSwap"));
            } else if (files.containsKey("smaps_rollup")) {
                Map<String, Long> s = keyValues(read(files.get("smaps_rollup")));
                rss = num(s.get("Rss"));
                anon = num(s.get("Anonymous"));
                swap = num(s.get("Swap"));
            }
            if (files.containsKey("smaps")) {
                Map<String, Long> r = Smaps.rssByRegion(read(files.get("smaps")));
                regions.add(e.getKey(), r);
                if (Double.isNaN(rss)) {
                    rss = r.values().stream().mapToLong(Long::longValue).sum();
                }
            }
            t.add(e.getKey());
            rows.add(new double[] {rss, anon, swap});
        }
        String[][] ids = {{"process.rss", "total", null}, {"process.anon", "part", "process.rss"},
                {"process.swap", "total", null}};
        for (int k = 0; k < ids.length; k++) {
            List<Long> tt = new ArrayList<>();
            List<Double> vv = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isNaN(rows.get(i)[k])) {
                    tt.add(t.get(i));
                    vv.add(rows.get(i)[k]);
                }
            }
            if (!tt.isEmpty()) {
                out.add(new Series(ids[k][0], ids[k][0], "bytes", "smaps-import", ids[k][1], ids[k][2],
                        tt.stream().mapToLong(Long::longValue).toArray(), vv.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        if (regions.size() > 0) {
            for (Series s : regions.series("smaps-import")) {
                out.add(s);
            }
        }
    }

    private static String read(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.ISO_8859_1);
    }

    /** "VmRSS:   1234 kB" → bytes; "Threads: 7" → 7; lines without a colon-number pair are skipped. */
    static Map<String, Long> keyValues(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            if (parts.length == 0 || !parts[0].matches("\\d+")) {
                continue;
            }
            long v = Long.parseLong(parts[0]);
            m.put(line.substring(0, colon).trim(), parts.length > 1 && parts[1].equals("kB") ? v * 1024 : v);
        }
        return m;
    }

    private static double num(Long v) {
        return v == null ? Double.NaN : v;
    }

    /**
     * The same capture packed as a tar (plain or gzip'd), e.g. {@code tar czf smaps-1234.tgz smaps-1234/}.
     * Only files named like a capture's are unpacked — by their base name, so no entry can write outside —
     * into a private temporary directory that is removed afterwards.
     */
    public static final class Tar implements InputReader {
        @Override
        public void read(Path tar, Artifact artifact, FindingsBuilder out) throws IOException {
            Path dir = Files.createTempDirectory("leakscope-smaps-");
            try {
                Files.setPosixFilePermissions(dir, io.leakscope.io.AtomicFiles.DIR_MODE);
                int n = 0;
                try (java.io.InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(tar));
                     org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                             new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(gunzipIfNeeded(raw))) {
                    for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        Path name = Path.of(e.getName()).getFileName();
                        String base = name == null ? "" : name.toString();
                        if (e.isFile() && NAME.matcher(base).matches()) {
                            Files.copy(in, dir.resolve(base), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            n++;
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    throw new InputException(tar + ": damaged tar archive (" + e.getMessage() + ")");
                }
                if (n == 0) {
                    throw new InputException(tar + ": a tar without smaps capture files (expected status.EPOCH,"
                            + " smaps_rollup.EPOCH or smaps.EPOCH; see docs/formats.md)");
                }
                new SmapsCaptureReader().read(dir, artifact, out);
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }

        private static java.io.InputStream gunzipIfNeeded(java.io.InputStream in) throws IOException {
            in.mark(2);
            int a = in.read();
            int b = in.read();
            in.reset();
            return a == 0x1f && b == 0x8b ? new java.util.zip.GZIPInputStream(in) : in;
        }
    }
}
