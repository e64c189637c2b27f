package io.leakscope.heap;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.FindingsJson;
import io.leakscope.io.InputException;

import java.nio.file.Path;
import java.util.List;

/** Analyses DUMP into findings OUT in a JVM of its own, as the CLI does: one line and exit 2 on bad input. */
public final class AnalyzeInAHeapOfItsOwn {
    public static void main(String[] args) throws Exception {
        try {
            FindingsJson.write(Analyzer.standard("test").analyze(List.of(Path.of(args[0]))), Path.of(args[1]));
        } catch (InputException e) {
            System.out.println(e.getMessage());
            System.exit(2);
        }
    }
}
