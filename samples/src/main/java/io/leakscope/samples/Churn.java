package io.leakscope.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * CONTROL, does not leak: heavy allocation churn (about 400 KB of short-lived tool outputs per step) that
 * makes the heap saw-tooth. Nothing is retained past a step.
 */
final class Churn implements SampleAgent.Scenario {
    private long sink;

    @Override
    public void step(long i) {
        List<String> batch = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            batch.add(ToolOutputs.output(i + k, 4000));
        }
        for (String s : batch) {
            sink += s.length();
        }
    }
}
