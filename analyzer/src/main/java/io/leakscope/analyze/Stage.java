package io.leakscope.analyze;

/**
 * A step that runs after every input was read, over everything read: the heap diff across dumps, growth
 * fits, the verdict, recommendations. Stages run in the order {@link Analyzer} lists them.
 */
public interface Stage {
    void apply(FindingsBuilder findings);
}
