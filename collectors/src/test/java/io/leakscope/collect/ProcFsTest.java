package io.leakscope.collect;

import io.leakscope.findings.Limits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads this JVM's own /proc files. */
class ProcFsTest {
    private final ProcFs fs = ProcFs.system();
    private final long self = ProcessHandle.current().pid();

    @Test
    void statusAndRollupAreInBytes() throws Exception {
        Map<String, Long> st = fs.status(self);
        long rss = st.get("VmRSS");
        long heapCommitted = Runtime.getRuntime().totalMemory();
        assertTrue(rss > 10L << 20, "a JVM has more than 10 MB resident: " + rss);
        assertTrue(st.get("Threads") > 1);
        assertEquals(st.get("VmRSS"), st.get("RssAnon") + st.get("RssFile") + st.get("RssShmem"),
                "RSS is the sum of its parts");
        Map<String, Long> roll = fs.smapsRollup(self);
        assertTrue(roll.get("Rss") > 0 && roll.get("Pss") > 0);
        assertTrue(heapCommitted > 0);
    }

    @Test
    void startTimeIsThisJvmsStart() throws Exception {
        Instant start = fs.startTime(self);
        Instant jvmStart = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        assertTrue(Duration.between(start, jvmStart).abs().toSeconds() < 5, start + " vs " + jvmStart);
    }

    @Test
    void limitsIncludeHostMemory() throws Exception {
        Limits l = fs.limits(self, 123L);
        assertTrue(l.memTotalBytes() > 1L << 30);
        assertEquals(123L, l.maxHeapBytes());
        assertTrue(l.effectiveLimitBytes() <= l.memTotalBytes() + (l.swapTotalBytes() == null ? 0 : l.swapTotalBytes()));
    }

    @Test
    void parsesKeyValuesWithUnits() {
        Map<String, Long> m = ProcFs.parseKeyValues("Name:\tjava\nVmRSS:\t  100 kB\nThreads:\t7\n");
        assertEquals(102400L, m.get("VmRSS"));
        assertEquals(7L, m.get("Threads"));
        assertTrue(!m.containsKey("Name"));
    }
}
