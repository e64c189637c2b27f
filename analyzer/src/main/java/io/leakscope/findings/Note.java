package io.leakscope.findings;

/**
 * Something the reader of the findings must know that is not a measurement: a collector that was not
 * available and why ("NMT is off: add -XX:NativeMemoryTracking=summary"), a dump read only partly, a
 * skipped record.
 *
 * @param level   INFO, WARN, or PARTIAL (the analysis covers only part of an input)
 * @param source  the stage or input it concerns, e.g. "nmt", "heap/dump-1.hprof"
 * @param message one sentence for a person
 */
public record Note(String level, String source, String message) {
    public static Note info(String source, String message) {
        return new Note("INFO", source, message);
    }

    public static Note warn(String source, String message) {
        return new Note("WARN", source, message);
    }

    public static Note partial(String source, String message) {
        return new Note("PARTIAL", source, message);
    }
}
