package io.leakscope.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test method {@code warmup + iterations} times in this JVM, dumps the live heap after each of the
 * last {@code iterations} rounds, and fails when a retained subtree grows in every one of those intervals by
 * more than {@code maxGrowth} bytes in all — naming its path from a GC root, its counts and sizes per round.
 * Caches that fill during warm-up and then stay bounded do not fail it.
 *
 * <pre>
 * &#64;Test &#64;LeakCheck(iterations = 4)
 * void handlesAConversationTurn() { agent.handle(turn()); }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LeakCheckExtension.class)
public @interface LeakCheck {
    /** Rounds measured (one heap dump after each); at least 3, so growth must repeat twice. */
    int iterations() default 4;

    /** Rounds run first and not measured: caches fill, classes load, JIT settles. */
    int warmup() default 2;

    /** Growth of one path over the measured rounds that is tolerated, in bytes. */
    long maxGrowth() default 0;
}
