package io.leakscope.collect.jvm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the full-GC-causing steps run. */
class SchedulesTest {
    @Test
    void objectCountRunsAboutSixTimesPerCaptureWithinBounds() {
        assertEquals(Duration.ofSeconds(100), JfrCollector.objectCountPeriod(Duration.ofMinutes(10), Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), JfrCollector.objectCountPeriod(Duration.ofSeconds(12), Duration.ofSeconds(5)),
                "never more often than the interval");
        assertEquals(Duration.ofSeconds(1), JfrCollector.objectCountPeriod(Duration.ofSeconds(3), Duration.ofMillis(200)));
        assertEquals(Duration.ofMinutes(10), JfrCollector.objectCountPeriod(Duration.ofHours(24), Duration.ofSeconds(5)));
    }

    @Test
    void settingsFileHasThePeriodsFilledIn() throws Exception {
        String jfc = JfrCollector.settings(Duration.ofSeconds(100), Duration.ofSeconds(5));
        assertTrue(jfc.contains("<setting name=\"period\">100000 ms</setting>"));
        assertTrue(jfc.contains("<setting name=\"period\">5000 ms</setting>"));
        assertTrue(!jfc.contains("@"), "no placeholder left");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new java.io.StringReader(jfc))); // well-formed
    }

    @Test
    void heapDumpsAreSpreadAndNeverInTheWarmUp() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Instant> two = HeapCollector.dumpTimes(t0, Duration.ofSeconds(90), Duration.ofSeconds(5), 2);
        assertEquals(List.of(t0.plusSeconds(30), t0.plusSeconds(60)), two);
        List<Instant> early = HeapCollector.dumpTimes(t0, Duration.ofSeconds(6), Duration.ofSeconds(5), 1);
        assertEquals(List.of(t0.plusSeconds(5)), early, "the first waits one interval");
    }
}
