package io.leakscope.memray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Note;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Memray's outputs for Python processes (formats in docs/memray.md): {@code memray transform csv} (allocation
 * sites live at the high-water mark, or leaked with {@code --leaks}) and {@code memray stats --json} become
 * {@link NativeMemory#leakSites()} with source "memray"; a flame graph HTML report gives its embedded memory
 * over time as series {@code memray.rss} and {@code memray.heap}.
 */
public final class MemrayReaders {
    static final int TOP_SITES = 30;

    private MemrayReaders() {
    }

    /** {@code memray transform csv}: allocator,num_allocations,size,tid,thread_name,stack_trace. */
    public static final class Csv implements InputReader {
        @Override
        public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
            List<NativeMemory.LeakSite> sites = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String header = r.readLine();
                if (header == null || !header.strip().startsWith("allocator,num_allocations,size")) {
                    throw new InputException(file + ": not a memray transform csv file (header " + header + ")");
                }
                String line;
                int lineNo = 1;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    List<String> cells = csvCells(line);
                    if (cells.size() < 6) {
                        throw new InputException(file + ": line " + lineNo + " has " + cells.size() + " cells, expected 6");
                    }
                    try {
                        long count = Long.parseLong(cells.get(1));
                        long bytes = Long.parseLong(cells.get(2));
                        sites.add(new NativeMemory.LeakSite(frames(cells.get(5)), bytes, count, "memray"));
                    } catch (NumberFormatException e) {
                        throw new InputException(file + ": line " + lineNo + " is not numeric");
                    }
                }
            }
            addSites(out, sites);
        }

        /** RFC 4180 cells: Python's csv module quotes only cells that need it. */
        static List<String> csvCells(String line) {
            List<String> cells = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cur.toString());
                    cur.setLength(0);
                } else if (c != '\r') {
                    cur.append(c);
                }
            }
            cells.add(cur.toString());
            return cells;
        }

        /** "func;file.py;12|caller;main.py;3" (innermost first) → "func (file.py:12)", ... */
        static List<String> frames(String stack) {
            List<String> out = new ArrayList<>();
            for (String f : stack.split("\\|")) {
                String[] p = f.split(";");
                out.add(p.length >= 3 ? p[0] + " (" + p[1] + ":" + p[2] + ")" : f);
            }
            return out;
        }
    }

    /** {@code memray stats --json}: the top allocation locations by size, and the peak. */
    public static final class Stats implements InputReader {
        @Override
        public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (root == null || !root.has("top_allocations_by_size") || !root.has("metadata")) {
                throw new InputException(file + ": not a memray stats --json file (no top_allocations_by_size/metadata)");
            }
            List<NativeMemory.LeakSite> sites = new ArrayList<>();
            for (JsonNode a : root.get("top_allocations_by_size")) {
                String loc = a.path("location").asText();
                long count = 0;
                for (JsonNode c : root.path("top_allocations_by_count")) {
                    if (c.path("location").asText().equals(loc)) {
                        count = c.path("count").asLong();
                    }
                }
                sites.add(new NativeMemory.LeakSite(List.of(location(loc)), a.path("size").asLong(), count, "memray"));
            }
            addSites(out, sites);
            JsonNode md = root.get("metadata");
            out.note(Note.info("memray", "memray stats of PID " + md.path("pid").asText("?") + " (" + md.path("command_line").asText("")
                    + "): peak heap " + md.path("peak_memory").asLong() + " B; allocation sites are by size at the high-water"
                    + " mark, not necessarily leaked — `memray transform csv --leaks` tells leaks apart"));
        }

        /** "func:file.py:12" → "func (file.py:12)": the function before the first ':', the line after the last. */
        static String location(String loc) {
            int first = loc.indexOf(':');
            int last = loc.lastIndexOf(':');
            if (first < 0 || first == last) {
                return loc;
            }
            return loc.substring(0, first) + " (" + loc.substring(first + 1, last) + ":" + loc.substring(last + 1) + ")";
        }
    }

    /** A memray flamegraph/table HTML report: {@code memory_records = [[ms, rss, heap], ...]}. */
    public static final class Html implements InputReader {
        private static final Pattern RECORDS = Pattern.compile("memory_records\\s*=\\s*\\[");

        @Override
        public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
            String html = read(file);
            Matcher m = RECORDS.matcher(html);
            if (!m.find()) {
                throw new InputException(file + ": an HTML file without memray's memory_records (not a memray report)");
            }
            int start = m.end() - 1;
            int depth = 0;
            int end = start;
            for (; end < html.length(); end++) {
                char c = html.charAt(end);
                if (c == '[') {
                    depth++;
                } else if (c == ']' && --depth == 0) {
                    break;
                }
            }
            if (depth != 0) {
                throw new InputException(file + ": memray's memory_records end early (truncated report)");
            }
            JsonNode rows;
            try {
                rows = new ObjectMapper().readTree(html.substring(start, end + 1));
            } catch (JsonProcessingException e) {
                throw new InputException(file + ": memray's memory_records are malformed (" + e.getOriginalMessage() + ")");
            }
            int n = rows.size();
            long[] t = new long[n];
            double[] rss = new double[n];
            double[] heap = new double[n];
            for (int i = 0; i < n; i++) {
                JsonNode r = rows.get(i);
                t[i] = r.get(0).asLong();
                rss[i] = r.get(1).asDouble();
                heap[i] = r.get(2).asDouble();
            }
            if (n == 0) {
                throw new InputException(file + ": memray report with no memory records");
            }
            out.add(new Series("memray.rss", "RSS (memray)", "bytes", "memray", "total", null, t, rss));
            out.add(new Series("memray.heap", "Python heap (memray)", "bytes", "memray", "total", null, t, heap));
        }

        private static String read(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(2);
                if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                    try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                        return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    /**
     * Memray's capture file ({@code memray run -o out.bin}, plain or LZ4): RSS and Python heap over time as
     * {@code memray.rss} and {@code memray.heap}, and the allocations never freed, by Python stack, as leak sites.
     */
    public static final class Binary implements InputReader {
        @Override
        public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
            MemrayCapture.Result r;
            try {
                r = MemrayCapture.read(file);
            } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
                throw new InputException(file + ": not a readable memray capture (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new InputException(file + ": memray capture cannot be read (" + e.getMessage() + ")");
            }
            MemrayCapture.Header h = r.header();
            int n = r.timeMs().length;
            if (n > 0) {
                double[] rss = new double[n];
                double[] heap = new double[n];
                for (int i = 0; i < n; i++) {
                    rss[i] = r.rss()[i];
                    heap[i] = r.heap()[i];
                }
                out.add(new Series("memray.rss", "RSS (memray)", "bytes", "memray", "total", null, r.timeMs(), rss));
                out.add(new Series("memray.heap", "Python heap (memray)", "bytes", "memray", "total", null, r.timeMs(), heap));
            }
            List<NativeMemory.LeakSite> sites = new ArrayList<>();
            for (MemrayCapture.Site s : r.leaked().subList(0, Math.min(TOP_SITES, r.leaked().size()))) {
                sites.add(new NativeMemory.LeakSite(s.frames(), s.bytes(), s.allocations(), "memray"));
            }
            addSites(out, sites);
            out.note(Note.info("memray", "memray capture (format " + h.version() + ", Python " + h.python() + ") of PID "
                    + h.pid() + ": " + r.allocationRecords() + " allocation records, " + n + " memory records kept, peak heap "
                    + io.leakscope.io.Units.formatBytes(r.peakHeap()) + "; never freed by the end: "
                    + io.leakscope.io.Units.formatBytes(r.leakedBytes()) + " in " + r.leakedAllocations() + " allocations"
                    + (h.nativeTraces() ? " (native stacks recorded but not decoded)" : "")));
            if (!r.atPeak().isEmpty()) {
                StringBuilder top = new StringBuilder();
                for (MemrayCapture.Site s : r.atPeak().subList(0, Math.min(3, r.atPeak().size()))) {
                    top.append(top.length() == 0 ? "" : "; ").append(s.frames().get(0)).append(' ')
                            .append(io.leakscope.io.Units.formatBytes(s.bytes()));
                }
                out.note(Note.info("memray", "at the high-water mark (" + io.leakscope.io.Units.formatBytes(r.peakHeap())
                        + "), the most memory was allocated in: " + top));
            }
            if (r.endNote() != null) {
                out.note(Note.warn("memray", file.getFileName() + ": " + r.endNote()));
            }
            if (n < 2) {
                out.note(Note.warn("memray", file.getFileName() + ": fewer than two memory records; no growth over time"));
            }
        }
    }

    private static void addSites(FindingsBuilder out, List<NativeMemory.LeakSite> sites) {
        List<NativeMemory.LeakSite> all = new ArrayList<>(out.nativeMemory.leakSites());
        all.addAll(sites);
        all.sort(Comparator.comparingLong(NativeMemory.LeakSite::bytes).reversed());
        NativeMemory n = out.nativeMemory;
        out.nativeMemory = new NativeMemory(n.nmtMode(), n.nmtAdvice(), List.copyOf(all.subList(0, Math.min(TOP_SITES, all.size()))),
                n.flameGraph());
    }
}
