package io.leakscope.findings;

import java.util.List;
import java.util.Map;

/**
 * How the data was captured, from the bundle's manifest: when, why it ended, the settings as given, and what
 * the capture did to the target (heap dumps and histograms pause it). Null for loose offline files.
 *
 * @param start     ISO-8601
 * @param end       ISO-8601, null if the capture did not finish
 * @param endReason completed, interrupted, target-exited, error
 * @param settings  as given (duration, interval, heapDumps, ...)
 * @param events    attach, histograms, heap dumps, target exit, with their cost
 */
public record Capture(String start, String end, String endReason, Map<String, String> settings, List<Event> events) {
    public Capture {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * @param time       when the step ended (ISO-8601)
     * @param durationMs how long the step took, as the capture timed it (for a heap dump or a class histogram,
     *                   the call: the stop, and around it the JMX call or the jcmd process)
     * @param stoppedMs  how long the step stopped the target, from the target's own JFR recording (the VM
     *                   operation's time at its safepoint); null where not recorded (since schema 1.1)
     */
    public record Event(String time, String kind, Long durationMs, String detail, Long stoppedMs) {
        public Event(String time, String kind, Long durationMs, String detail) {
            this(time, kind, durationMs, detail, null);
        }
    }
}
