package io.leakscope.findings;

import java.util.List;

/**
 * Native (off-heap) memory: NMT state and the native allocation sites still holding memory at the end.
 *
 * @param nmtMode    off, summary or detail; null when the target is not a JVM
 * @param nmtAdvice  when NMT was off, the flag to add
 * @param leakSites  allocation sites by bytes not freed, largest first
 * @param flameGraph the native leak flame graph, relative to the findings file, if captured
 */
public record NativeMemory(String nmtMode, String nmtAdvice, List<LeakSite> leakSites, String flameGraph) {
    public static final NativeMemory EMPTY = new NativeMemory(null, null, List.of(), null);

    public NativeMemory {
        leakSites = leakSites == null ? List.of() : List.copyOf(leakSites);
    }

    /** @param frames innermost first */
    public record LeakSite(List<String> frames, long bytes, long allocations, String source) {
    }
}
