package io.leakscope.samples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CONTROL, does not leak: a response cache bounded at 5,000 entries of ~4 KB (about 40 MB with String
 * overhead). It fills during the first 100 s at the default rate, then plateaus: growth that saturates.
 */
final class BoundedCache implements SampleAgent.Scenario {
    static final int MAX_ENTRIES = 5_000;

    static final class ResponseCache extends LinkedHashMap<String, String> {
        ResponseCache() {
            super(1024, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    }

    private final ResponseCache cache = new ResponseCache();

    @Override
    public void step(long i) {
        String key = "q" + i;
        cache.put(key, ToolOutputs.output(i, 4000));
        cache.get("q" + (i / 2)); // some hits keep old entries alive for a while
    }
}
