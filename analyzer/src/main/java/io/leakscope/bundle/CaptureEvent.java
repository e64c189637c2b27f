package io.leakscope.bundle;

/**
 * Something that happened during a capture and what it cost: a histogram (a full GC), a heap dump (a
 * pause), an attach, the target exiting.
 *
 * @param time       ISO-8601
 * @param kind       attach, jfr-start, jfr-stop, histogram, heap-dump, nmt-baseline, native-start, target-exit, ...
 * @param durationMs how long it took (the pause it caused, where it pauses the target)
 * @param detail     one line for people
 */
public record CaptureEvent(String time, String kind, Long durationMs, String detail) {
}
