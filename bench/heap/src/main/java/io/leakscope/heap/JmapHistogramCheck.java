package io.leakscope.heap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * leakscope's shallow sizes against a class histogram the JVM printed with the dump ({@code jmap -histo} or {@code
 * jcmd PID GC.class_histogram}), as Eclipse MAT's {@code TestInstanceSizes} checks its own: per instance class, the
 * size of each instance; per array class, the total bytes where both count as many arrays. Class objects and the
 * JVM's own entries ({@code <methodKlass>}, …) are left out. Prints the classes that differ and a summary line.
 * In package {@code io.leakscope.heap} to read the graph's tables. Usage: {@code JmapHistogramCheck DUMP HISTOGRAM}.
 */
public final class JmapHistogramCheck {
    public static void main(String[] args) throws Exception {
        HeapGraph g = HprofReader.read(Path.of(args[0]));
        Map<String, long[]> byName = new HashMap<>(); // count, bytes, smallest, largest
        for (int o = 0; o < g.objectCount; o++) {
            if (g.kind[o] != HeapGraph.CLASS) {
                long[] s = byName.computeIfAbsent(g.classes.get(g.classOf[o]).name,
                        k -> new long[] {0, 0, Long.MAX_VALUE, 0});
                s[0]++;
                s[1] += g.shallow[o];
                s[2] = Math.min(s[2], g.shallow[o]);
                s[3] = Math.max(s[3], g.shallow[o]);
            }
        }
        int same = 0;
        int differ = 0;
        int notCompared = 0;
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] t = line.trim().split("\\s+");
            int i = t.length > 0 && t[0].endsWith(":") ? 1 : 0; // "1:  count bytes name" or "count bytes name"
            if (t.length < i + 3 || !t[i].matches("\\d+") || !t[i + 1].matches("\\d+")) {
                continue;
            }
            long count = Long.parseLong(t[i]);
            long bytes = Long.parseLong(t[i + 1]);
            String jvmName = t[i + 2];
            if (jvmName.startsWith("<") || jvmName.equals("java.lang.Class") || count == 0) {
                continue;
            }
            String name = HprofReader.javaName(jvmName.replace('.', '/'));
            long[] s = byName.get(name);
            if (s == null || (name.endsWith("[]") && s[0] != count)) {
                notCompared++;
            } else if (name.endsWith("[]") ? s[1] == bytes : s[2] == bytes / count && s[3] == bytes / count) {
                same++;
            } else {
                differ++;
                System.out.println(name.endsWith("[]")
                        ? name + ": " + s[1] + " bytes for " + count + " arrays, the JVM " + bytes
                        : name + ": " + s[2] + (s[3] != s[2] ? "-" + s[3] : "") + " bytes an instance, the JVM "
                        + bytes / count);
            }
        }
        System.out.println(args[0] + ": " + g.layout.describe());
        System.out.println(same + " classes of the same size as the JVM's histogram, " + differ + " differ, "
                + notCompared + " not compared (not in the dump, or arrays counted differently)");
    }
}
