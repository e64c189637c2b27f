package io.leakscope.growth;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leaking and the churning sample agents, run side by side for real for about 25 s with a small
 * heap: the first one's heap after GC is a leak, the second one's is not.
 */
class RealAgentGrowthTest {
    static final List<String> JVM = List.of("-Xmx96m", "-Xmn2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @Test
    void historyLeaksAndChurnDoesNot() throws Exception {
        try (RealAgent history = RealAgent.start("history", JVM, List.of("--rate", "100", "--seconds", "120"));
             RealAgent churn = RealAgent.start("churn", JVM, List.of("--rate", "50", "--seconds", "120"))) {
            Thread watchChurn = new Thread(() -> {
                try {
                    churn.watch(30, 200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            watchChurn.start();
            history.watch(30, 200);
            watchChurn.join();
            assertTrue(history.alive() && churn.alive(), "both agents ran the whole time");

            Growth.SignalFit leak = fitHeap(history);
            Growth.SignalFit noLeak = fitHeap(churn);
            assertEquals(Verdict.LEAK, leak.verdict(), leak.reason());
            assertTrue(leak.slopePerMinute() > 1024 * 1024, "history retains MiBs a minute: " + leak.reason());
            assertNotEquals(Verdict.LEAK, noLeak.verdict(), noLeak.reason());
            assertTrue(noLeak.samplesUsed() >= SignalFitter.MIN_POINTS || noLeak.verdict() == Verdict.INCONCLUSIVE);
        }
    }

    private static Growth.SignalFit fitHeap(RealAgent agent) {
        FindingsBuilder b = new FindingsBuilder();
        b.add(agent.heapAfterGc());
        b.add(agent.rss());
        new GrowthStage().apply(b);
        System.out.println(b.headline + "\n  " + b.growth.signals());
        return b.growth.signals().stream().filter(f -> f.seriesId().equals("jvm.heap.after_gc")).findFirst().orElseThrow();
    }
}
