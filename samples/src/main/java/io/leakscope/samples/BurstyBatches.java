package io.leakscope.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * CONTROL, does not leak: batch jobs arrive in bursts. Every 30 s a batch of tool outputs is held for 10 s (about 8 MB at
 * the default rate), then released, so the live set rises and falls but does not grow.
 */
final class BurstyBatches implements SampleAgent.Scenario {
    static final long PERIOD_MS = 30_000;
    static final long HOLD_MS = 10_000;

    private final List<String> batch = new ArrayList<>();
    private final long start = System.currentTimeMillis();
    private long sink;

    @Override
    public void step(long i) {
        long phase = (System.currentTimeMillis() - start) % PERIOD_MS;
        if (phase < HOLD_MS) {
            batch.add(ToolOutputs.output(i, 4000));
        } else if (!batch.isEmpty()) {
            for (String s : batch) {
                sink += s.length();
            }
            batch.clear();
        }
        sink += ToolOutputs.output(i + 1, 2000).length(); // the ordinary per-step garbage
    }
}
