package io.leakscope.cli;

import io.leakscope.analyze.Analyzer;
import io.leakscope.heap.HprofReader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** Heap-dump options shared by analyze and diff: {@code --show-values}, and the parse progress bar. */
public final class HeapOptions {
    @Option(names = "--show-values",
            description = "Put the credential-shaped values found in heap dumps into the findings and report"
                    + " (off by default: only counts and masked prefixes, since dumps hold prompts and API keys).")
    boolean showValues;

    /** The analyzer, with a progress bar on stderr when it is a terminal or with --verbose. */
    Analyzer analyzer(CommandLine cl) {
        CommandLine root = cl;
        while (root.getParent() != null) {
            root = root.getParent(); // --verbose may be given before the subcommand
        }
        boolean verbose = LeakscopeCommand.verbose(root.getParseResult());
        boolean terminal = System.console() != null;
        HprofReader.Progress progress = terminal || verbose ? new Bar(cl.getErr(), terminal) : null;
        return Analyzer.standard("leakscope " + LeakscopeCommand.version(), showValues, progress);
    }

    /**
     * "heap dump pass 1/2 [#########.........]  48%": redrawn in place on a terminal, else every quarter; then
     * "heap dump analysis 2/5: dominator tree", one step after the other.
     */
    private static final class Bar implements HprofReader.Progress {
        private final PrintWriter err;
        private final boolean terminal;
        private int lastShown = -1;

        Bar(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void update(int pass, long done, long total) {
            int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
            int key = pass * 1000 + (terminal ? pct : pct / 25 * 25);
            if (key == lastShown) {
                return;
            }
            lastShown = key;
            int filled = pct * 30 / 100;
            String line = "heap dump pass " + pass + "/2 [" + "#".repeat(filled) + ".".repeat(30 - filled) + "] "
                    + String.format("%3d%%", pct);
            if (terminal) {
                err.print("\r" + line + (pct == 100 && pass == 2 ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        }

        @Override
        public void analysing(int step, int steps, String what) {
            String line = "heap dump analysis " + step + "/" + steps + ": " + what;
            if (terminal) {
                // padded over the longer line it replaces
                err.print("\r" + String.format("%-60s", line) + (step == steps ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        }
    }
}
