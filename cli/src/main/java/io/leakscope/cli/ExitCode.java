package io.leakscope.cli;

import io.leakscope.findings.Verdict;

/** The exit codes, as README documents them. */
public final class ExitCode {
    /** Success; for the gate: no leak, no regression. */
    public static final int OK = 0;
    /** The gate found a leak or a regression. */
    public static final int LEAK = 1;
    /** Usage or input error (bad file, gone PID, unwritable output). */
    public static final int INPUT_ERROR = 2;
    /** Not enough data to decide. */
    public static final int INCONCLUSIVE = 3;

    private ExitCode() {
    }

    /** For commands that analyse but do not gate: a decided verdict is success, an undecided one is 3. */
    public static int forAnalysis(Verdict v) {
        return v == Verdict.INCONCLUSIVE ? INCONCLUSIVE : OK;
    }
}
