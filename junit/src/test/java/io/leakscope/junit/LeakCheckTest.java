package io.leakscope.junit;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/** Real rounds in this JVM, real heap dumps, the real heap engine. */
class LeakCheckTest {
    /** What a leaking unit under test keeps: every "tool output" it ever saw. */
    static final class Transcript {
        static final List<byte[]> OUTPUTS = new ArrayList<>();
    }

    /** A cache bounded at 400 entries: fills during warm-up, then stays the same size. */
    static final class ResponseCache {
        static final Map<Integer, byte[]> ENTRIES = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > 400;
            }
        };
        static int next;
    }

    static void leakingTurn() {
        for (int i = 0; i < 300; i++) {
            Transcript.OUTPUTS.add(new byte[2048]);
        }
    }

    static void cachingTurn() {
        for (int i = 0; i < 300; i++) {
            ResponseCache.ENTRIES.put(ResponseCache.next++, new byte[2048]);
        }
    }

    static long churningTurn() {
        long sum = 0;
        for (int i = 0; i < 300; i++) {
            sum += new byte[2048].length;
        }
        return sum;
    }

    @Test
    void aLeakingBodyFailsNamingItsPath() throws Throwable {
        String failure = LeakRounds.run(1, 3, LeakCheckTest::leakingTurn).failure(0);
        assertNotNull(failure, "the transcript grows every round");
        assertTrue(failure.contains("LeakCheckTest$Transcript"), failure);
        assertTrue(failure.contains(".OUTPUTS"), failure);
        assertTrue(failure.contains("path from a GC root"), failure);
        Transcript.OUTPUTS.clear();
    }

    @Test
    void churnAndABoundedCacheDoNotFail() throws Throwable {
        assertNull(LeakRounds.run(1, 3, LeakCheckTest::churningTurn).failure(0));
        // 2 warm-up rounds of 300 fill the 400-entry cache; afterwards it only replaces entries
        assertNull(LeakRounds.run(2, 3, LeakCheckTest::cachingTurn).failure(0));
    }

    @Test
    void theAnnotationFailsTheTestThroughJUnit() {
        Events leaking = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(Samples.class, "leaks"), selectMethod(Samples.class, "doesNotLeak"))
                .execute().testEvents();
        assertEquals(1, leaking.failed().count(), "the leaking method fails");
        assertEquals(1, leaking.succeeded().count(), "the clean one passes");
        Throwable t = leaking.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(t instanceof AssertionError && t.getMessage().contains("LeakCheckTest$Samples") && t.getMessage().contains(".KEPT"), t.toString());
        assertEquals(4, Samples.calls, "warmup 1 + 3 measured rounds");
    }

    /** Run only through the engine test kit above (surefire skips nested classes). */
    static class Samples {
        static final List<byte[]> KEPT = new ArrayList<>();
        static int calls;

        @Test
        @LeakCheck(warmup = 1, iterations = 3)
        void leaks() {
            calls++;
            for (int i = 0; i < 300; i++) {
                KEPT.add(new byte[2048]);
            }
        }

        @Test
        @LeakCheck(warmup = 1, iterations = 3)
        void doesNotLeak() {
            churningTurn();
        }
    }
}
