package io.leakscope.findings;

/** The answer to "is it leaking?", for one signal or for the whole process. */
public enum Verdict {
    /** Grows steadily, with no sign of levelling off. */
    LEAK,
    /** Grows, but the increments shrink: a cache or pool filling towards a ceiling. */
    SATURATING,
    /** No significant growth. */
    STABLE,
    /** Not enough data to decide; the findings say what capture would be enough. */
    INCONCLUSIVE;

    /** Severity for combining verdicts: a leak anywhere makes the process leak. */
    public int severity() {
        return switch (this) {
            case LEAK -> 3;
            case SATURATING -> 2;
            case INCONCLUSIVE -> 1;
            case STABLE -> 0;
        };
    }
}
