package io.leakscope.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * CONTROL, does not leak: a long warm-up. For the first 60 s the agent loads its tool catalogue and prompt templates
 * (about 12 MB kept for good), then serves with a flat live set and ordinary garbage.
 */
final class LongWarmup implements SampleAgent.Scenario {
    static final long WARMUP_MS = 60_000;
    static final int CATALOGUE_ENTRIES = 3_000;

    private final List<String> catalogue = new ArrayList<>();
    private final long start = System.currentTimeMillis();
    private long sink;

    @Override
    public void step(long i) {
        if (catalogue.size() < CATALOGUE_ENTRIES && System.currentTimeMillis() - start < WARMUP_MS) {
            catalogue.add(ToolOutputs.output(i, 4000));
        }
        sink += ToolOutputs.output(i, 4000).length() + catalogue.size();
    }
}
