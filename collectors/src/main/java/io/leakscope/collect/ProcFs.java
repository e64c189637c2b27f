package io.leakscope.collect;

import io.leakscope.findings.Limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the few /proc and cgroup files leakscope samples. Sizes come back in bytes. A root other than
 * "/" lets tests and offline imports read a copied tree.
 */
public final class ProcFs {
    private final Path proc;
    private final Path cgroupRoot;

    public ProcFs(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    public static ProcFs system() {
        return new ProcFs(Paths.get("/proc"), Paths.get("/sys/fs/cgroup"));
    }

    public boolean alive(long pid) {
        return Files.isDirectory(proc.resolve(Long.toString(pid)));
    }

    /** /proc/PID/status: the "kB" fields in bytes, the others (Threads, ...) as numbers. */
    public Map<String, Long> status(long pid) throws IOException {
        return parseKeyValues(read(pid, "status"));
    }

    /** /proc/PID/smaps_rollup: Rss, Pss, Anonymous, Swap, ... in bytes. */
    public Map<String, Long> smapsRollup(long pid) throws IOException {
        String text = read(pid, "smaps_rollup");
        int nl = text.indexOf('\n');
        return parseKeyValues(nl < 0 ? "" : text.substring(nl + 1)); // first line is the address range
    }

    /** /proc/meminfo in bytes. */
    public Map<String, Long> meminfo() throws IOException {
        return parseKeyValues(Files.readString(proc.resolve("meminfo"), StandardCharsets.ISO_8859_1));
    }

    public String cmdline(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
        StringBuilder sb = new StringBuilder(raw.length);
        for (byte c : raw) {
            sb.append(c == 0 ? ' ' : (char) (c & 0xff));
        }
        return sb.toString().trim();
    }

    /** When the process started, from /proc/PID/stat's starttime and the boot time. */
    public Instant startTime(long pid) throws IOException {
        String stat = read(pid, "stat");
        // comm may contain spaces and parentheses: fields start after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long startTicks = Long.parseLong(f[19]); // field 22 overall
        long btime = 0;
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                btime = Long.parseLong(line.substring(6).trim());
            }
        }
        long ticksPerSecond = 100; // USER_HZ, 100 on every Linux ABI we run on
        return Instant.ofEpochMilli(btime * 1000 + startTicks * 1000 / ticksPerSecond);
    }

    /** The user name (or uid) owning the process. */
    public String user(long pid) throws IOException {
        return Files.getOwner(proc.resolve(Long.toString(pid))).getName();
    }

    /** The memory cgroup a process is in, with its limits and usage. */
    public record Cgroup(int version, String path, Path dir, Long max, Long high, Long usage, Map<String, Long> events) {
    }

    public Cgroup cgroup(long pid) throws IOException {
        String text = read(pid, "cgroup");
        String v2 = null;
        String v1 = null;
        for (String line : text.split("\n")) {
            String[] p = line.split(":", 3);
            if (p.length < 3) {
                continue;
            }
            if (p[0].equals("0") && p[1].isEmpty()) {
                v2 = p[2];
            } else if (("," + p[1] + ",").contains(",memory,")) {
                v1 = p[2];
            }
        }
        if (v1 != null) {
            Path dir = under(cgroupRoot.resolve("memory"), v1);
            Long max = readLimit(dir.resolve("memory.limit_in_bytes"));
            return new Cgroup(1, v1, dir, max, null, readLong(dir.resolve("memory.usage_in_bytes")),
                    readEvents(dir.resolve("memory.oom_control")));
        }
        if (v2 != null) {
            Path dir = under(cgroupRoot, v2);
            return new Cgroup(2, v2, dir, readLimit(dir.resolve("memory.max")), readLimit(dir.resolve("memory.high")),
                    readLong(dir.resolve("memory.current")), readEvents(dir.resolve("memory.events")));
        }
        return null;
    }

    /** /proc/pressure/memory: avg10 of "some" and "full" (percent), and their total stall time (us). */
    public Map<String, Double> memoryPressure() throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        Path f = proc.resolve("pressure/memory");
        if (!Files.isReadable(f)) {
            return m;
        }
        for (String line : Files.readAllLines(f)) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 0) {
                continue;
            }
            for (int i = 1; i < p.length; i++) {
                String[] kv = p[i].split("=");
                if (kv.length == 2) {
                    m.put(p[0] + "." + kv[0], Double.parseDouble(kv[1]));
                }
            }
        }
        return m;
    }

    /**
     * The limits in force for a process: host RAM and swap, its memory cgroup's, and the JVM heap limit
     * when the caller knows it.
     */
    public Limits limits(long pid, Long maxHeapBytes) throws IOException {
        Map<String, Long> mi = meminfo();
        Cgroup cg = null;
        try {
            cg = cgroup(pid);
        } catch (IOException e) {
            // not readable (other user, process gone): the host limits still hold
        }
        return Limits.withEffective(mi.get("MemTotal"), mi.get("SwapTotal"), cg == null ? null : cg.version(),
                cg == null ? null : cg.path(), cg == null ? null : cg.max(), cg == null ? null : cg.high(), maxHeapBytes);
    }

    private static Path under(Path root, String cgPath) {
        Path p = root;
        for (String part : cgPath.split("/")) {
            if (!part.isEmpty() && !part.equals("..")) {
                p = p.resolve(part);
            }
        }
        // Inside a container the cgroup path names the host's hierarchy; the namespace root is mounted at root.
        return Files.isDirectory(p) ? p : root;
    }

    private String read(long pid, String file) throws IOException {
        try {
            return Files.readString(proc.resolve(pid + "/" + file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(proc.resolve(pid + "/" + file).toString(), null, "process " + pid + " is gone");
        }
    }

    static Map<String, Long> parseKeyValues(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] p = line.substring(colon + 1).trim().split("\\s+");
            if (p.length == 0 || p[0].isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p[0]);
                if (p.length > 1 && p[1].equalsIgnoreCase("kB")) {
                    v *= 1024;
                }
                m.put(line.substring(0, colon).trim(), v);
            } catch (NumberFormatException e) {
                // text fields (Name, State, Cpus_allowed...) are not sizes
            }
        }
        return m;
    }

    private static Long readLimit(Path f) {
        try {
            String s = Files.readString(f).trim();
            if (s.equals("max")) {
                return null;
            }
            long v = Long.parseLong(s);
            return v >= (1L << 60) ? null : v; // v1 reports "unlimited" as a page-rounded LONG_MAX
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static Long readLong(Path f) {
        try {
            return Long.parseLong(Files.readString(f).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, Long> readEvents(Path f) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(f)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2) {
                    try {
                        m.put(p[0], Long.parseLong(p[1]));
                    } catch (NumberFormatException e) {
                        // skip
                    }
                }
            }
        } catch (IOException e) {
            // absent on this kernel
        }
        return m;
    }
}
