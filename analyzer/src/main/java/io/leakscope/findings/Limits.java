package io.leakscope.findings;

/**
 * The memory limits in force for the target. Any of them may be null when not known or not set.
 *
 * @param memTotalBytes         MemTotal of the host
 * @param swapTotalBytes        SwapTotal of the host
 * @param cgroupVersion         1 or 2, null when not in a memory-limited cgroup
 * @param cgroupPath            the cgroup the process was in
 * @param cgroupMaxBytes        memory.max (v2) or memory.limit_in_bytes (v1); null when unlimited
 * @param cgroupHighBytes       memory.high (v2): where the kernel starts throttling; null when unlimited
 * @param maxHeapBytes          -Xmx / MaxHeapSize for a JVM
 * @param effectiveLimitBytes   the limit the process hits first (smallest of the above that applies to RSS)
 * @param effectiveLimitSource  which one that is: cgroup, memtotal+swap, ...
 */
public record Limits(Long memTotalBytes, Long swapTotalBytes, Integer cgroupVersion, String cgroupPath,
                     Long cgroupMaxBytes, Long cgroupHighBytes, Long maxHeapBytes, Long effectiveLimitBytes,
                     String effectiveLimitSource) {
    public static final Limits UNKNOWN = new Limits(null, null, null, null, null, null, null, null, null);

    /** The limit the resident size of the process runs into first, with where it comes from. */
    public static Limits withEffective(Long memTotal, Long swapTotal, Integer cgVersion, String cgPath, Long cgMax,
                                       Long cgHigh, Long maxHeap) {
        Long effective = null;
        String source = null;
        if (cgMax != null) {
            effective = cgMax;
            source = "cgroup memory limit";
        }
        if (memTotal != null) {
            long host = memTotal + (swapTotal == null ? 0 : swapTotal);
            if (effective == null || host < effective) {
                effective = host;
                source = swapTotal != null && swapTotal > 0 ? "host RAM + swap" : "host RAM";
            }
        }
        return new Limits(memTotal, swapTotal, cgVersion, cgPath, cgMax, cgHigh, maxHeap, effective, source);
    }
}
