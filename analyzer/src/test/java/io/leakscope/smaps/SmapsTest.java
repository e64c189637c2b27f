package io.leakscope.smaps;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmapsTest {
    @Test
    void regionsOfThisJvmAddUpToItsRollup() throws Exception {
        String smaps = Files.readString(Path.of("/proc/self/smaps"), StandardCharsets.ISO_8859_1);
        String rollup = Files.readString(Path.of("/proc/self/smaps_rollup"), StandardCharsets.ISO_8859_1);
        Map<String, Long> regions = Smaps.rssByRegion(smaps);
        long total = regions.values().stream().mapToLong(Long::longValue).sum();
        long rss = 0;
        for (String line : rollup.split("\n")) {
            if (line.startsWith("Rss:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        // two reads of a running JVM: close, not equal
        assertTrue(Math.abs(total - rss) < rss * 0.1, total + " vs " + rss);
        assertTrue(regions.containsKey("anon"), "the Java heap is anonymous memory: " + regions.keySet());
        assertTrue(regions.keySet().stream().anyMatch(k -> k.endsWith("libjvm.so")), regions.keySet().toString());
    }

    @Test
    void headerFieldsAndNamedAnonymousMappings() {
        String text = """
                55d0c0a00000-55d0c0b00000 rw-p 00000000 00:00 0                          [heap]
                Size:               1024 kB
                Rss:                 900 kB
                7f00aa000000-7f00aa100000 rw-p 00000000 00:00 0                          [anon:glibc: malloc arena]
                Rss:                 100 kB
                7f00ab000000-7f00ab100000 rw-p 00000000 00:00 0
                Rss:                  40 kB
                7f00ac000000-7f00ac100000 r-xp 00000000 08:01 1234                       /usr/lib/x86_64-linux-gnu/libc.so.6
                Rss:                  12 kB
                7f00ad000000-7f00ad100000 r--p 00010000 08:01 1234                       /usr/lib/x86_64-linux-gnu/libc.so.6
                Rss:                   8 kB
                """;
        Map<String, Long> r = Smaps.rssByRegion(text);
        assertEquals(900 * 1024L, r.get("[heap]"));
        assertEquals(100 * 1024L, r.get("[anon:glibc: malloc arena]"));
        assertEquals(40 * 1024L, r.get("anon"));
        assertEquals(20 * 1024L, r.get("/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals("smaps.[anon:glibc:_malloc_arena].rss", Smaps.seriesId("[anon:glibc: malloc arena]"));
    }
}
