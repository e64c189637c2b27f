package io.leakscope.samples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LEAKS: tracing spans are recorded into an in-memory exporter that nobody ever flushes; every span keeps
 * its attributes (including the prompt). Path: {@code InMemoryExporter.FINISHED -> Span.attributes}.
 */
final class TracingSpanLeak implements SampleAgent.Scenario {
    static final class Span {
        final String name;
        final long startNanos;
        long endNanos;
        final Map<String, String> attributes = new HashMap<>();

        Span(String name) {
            this.name = name;
            this.startNanos = System.nanoTime();
        }
    }

    static final class InMemoryExporter {
        static final List<Span> FINISHED = new ArrayList<>();
    }

    @Override
    public void step(long i) {
        Span s = new Span("llm.call");
        s.attributes.put("llm.prompt", ToolOutputs.output(i, 1500));
        s.attributes.put("llm.model", "model-x");
        s.attributes.put("tool", ToolOutputs.toolName(i));
        s.endNanos = System.nanoTime();
        InMemoryExporter.FINISHED.add(s);
    }
}
