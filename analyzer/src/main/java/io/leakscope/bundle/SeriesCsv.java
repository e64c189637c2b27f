package io.leakscope.bundle;

import io.leakscope.findings.Series;
import io.leakscope.io.InputException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time series as CSV, the bundle's format for anything sampled (series/*.csv). Plain text so that a user can
 * read it, grep it and plot it without leakscope.
 *
 * <pre>
 * # leakscope-series 1
 * time_ms,process.rss|bytes|total|,process.anon|bytes|part|process.rss
 * 1764000000000,104857600,73400320
 * </pre>
 * Each column after time_ms is {@code id|unit|role|parent} (see {@link Series}); an empty cell is a missing
 * value. Rows are appended while the capture runs and flushed each time, so a killed capture keeps every
 * complete row.
 */
public final class SeriesCsv {
    public static final String MAGIC = "# leakscope-series 1";

    private SeriesCsv() {
    }

    /** A column: the series' id, unit, role and parent. */
    public record Column(String id, String unit, String role, String parent) {
        public Column {
            id = clean(id);
            parent = parent == null ? "" : clean(parent);
        }

        public static Column total(String id, String unit) {
            return new Column(id, unit, "total", "");
        }

        public static Column part(String id, String unit, String parent) {
            return new Column(id, unit, "part", parent);
        }

        public static Column context(String id, String unit) {
            return new Column(id, unit, "context", "");
        }

        private static String clean(String s) {
            return s.replace('|', '/').replace(',', ';').replace('\n', ' ').replace('\r', ' ');
        }

        String header() {
            return id + "|" + unit + "|" + role + "|" + parent;
        }
    }

    /** Appends rows to a series file, flushing each. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;
        private final int columns;

        public Writer(Path file, List<Column> cols) throws IOException {
            this.columns = cols.size();
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, io.leakscope.io.AtomicFiles.FILE_MODE);
            StringBuilder h = new StringBuilder(MAGIC).append('\n').append("time_ms");
            for (Column c : cols) {
                h.append(',').append(c.header());
            }
            out.write(h.append('\n').toString());
            out.flush();
        }

        /** NaN values are written as empty cells. */
        public synchronized void append(long timeMs, double... values) throws IOException {
            if (values.length != columns) {
                throw new IllegalArgumentException(values.length + " values for " + columns + " columns");
            }
            StringBuilder row = new StringBuilder(16 + 14 * values.length).append(timeMs);
            for (double v : values) {
                row.append(',');
                if (!Double.isNaN(v)) {
                    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                        row.append((long) v);
                    } else {
                        row.append(v);
                    }
                }
            }
            out.write(row.append('\n').toString());
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }

    /**
     * Reads a series file; each column becomes one {@link Series} without its missing values.
     *
     * @param source the series' source (proc, nmt, ...)
     */
    public static List<Series> read(Path file, String source) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String magic = in.readLine();
            if (!MAGIC.equals(magic)) {
                throw new InputException(file + ": not a leakscope series file (first line is not \"" + MAGIC + "\")");
            }
            String header = in.readLine();
            if (header == null || !header.startsWith("time_ms")) {
                throw new InputException(file + ": series header missing");
            }
            String[] cells = header.split(",", -1);
            int n = cells.length - 1;
            Column[] cols = new Column[n];
            for (int i = 0; i < n; i++) {
                String[] p = cells[i + 1].split("\\|", -1);
                cols[i] = new Column(p[0], p.length > 1 ? p[1] : "", p.length > 2 ? p[2] : "total",
                        p.length > 3 ? p[3] : "");
            }
            long[][] t = new long[n][64];
            double[][] v = new double[n][64];
            int[] len = new int[n];
            int lineNo = 2;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] r = line.split(",", -1);
                if (r.length != n + 1) {
                    // A killed writer may leave a last partial line; anything else is damage.
                    if (in.readLine() == null) {
                        break;
                    }
                    throw new InputException(file + ": line " + lineNo + " has " + r.length + " cells, expected " + (n + 1));
                }
                long time;
                try {
                    time = Long.parseLong(r[0]);
                    for (int i = 0; i < n; i++) {
                        if (r[i + 1].isEmpty()) {
                            continue;
                        }
                        double val = Double.parseDouble(r[i + 1]);
                        if (len[i] == t[i].length) {
                            t[i] = Arrays.copyOf(t[i], len[i] * 2);
                            v[i] = Arrays.copyOf(v[i], len[i] * 2);
                        }
                        t[i][len[i]] = time;
                        v[i][len[i]++] = val;
                    }
                } catch (NumberFormatException e) {
                    throw new InputException(file + ": line " + lineNo + " is not numeric");
                }
            }
            List<Series> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Column c = cols[i];
                out.add(new Series(c.id(), c.id(), c.unit(), source, c.role(), c.parent().isEmpty() ? null : c.parent(),
                        Arrays.copyOf(t[i], len[i]), Arrays.copyOf(v[i], len[i])));
            }
            return out;
        }
    }
}
