package io.leakscope.collect;

import io.leakscope.bundle.BundleWriter;

import java.time.Duration;
import java.time.Instant;

/**
 * What every collector of one capture shares.
 *
 * @param pid       the target
 * @param bundle    where artifacts go
 * @param procFs    /proc and cgroup access
 * @param interval  the sampling interval
 * @param duration  the planned capture length
 * @param start     when the capture started
 */
public record CaptureContext(long pid, BundleWriter bundle, ProcFs procFs, Duration interval, Duration duration,
                             Instant start) {
    /** The planned end of the capture. */
    public Instant plannedEnd() {
        return start.plus(duration);
    }
}
