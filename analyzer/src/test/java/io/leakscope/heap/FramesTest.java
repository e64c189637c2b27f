package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Frames as the dump's records give them, named as a Java stack trace names them. */
class FramesTest {
    private static final Map<Long, String> SYMBOLS = Map.of(1L, "com/acme/Agent$Loop", 2L, "run", 3L, "Agent.java",
            4L, "poll", 5L, "read0");

    @Test
    void framesReadAsInAStackTrace() {
        Frames f = new Frames();
        f.classSerial(7, 1);
        f.frame(100, 2, 0, 3, 7, 40);     // run, Agent.java:40
        f.frame(101, 4, 0, 3, 7, -1);     // poll, no line
        f.frame(102, 5, 0, 0, 7, -3);     // native
        f.frame(103, 4, 0, 99, 7, 12);    // a source file the dump has no name for
        f.frame(104, 2, 0, 3, 8, 1);      // a class serial no LOAD CLASS gave
        f.trace(1, new long[] {102, 101, 100, 103, 104, 105});
        assertEquals("com.acme.Agent$Loop.read0(Native Method)", f.describe(1, 0, SYMBOLS::get));
        assertEquals("com.acme.Agent$Loop.poll(Agent.java)", f.describe(1, 1, SYMBOLS::get));
        assertEquals("com.acme.Agent$Loop.run(Agent.java:40)", f.describe(1, 2, SYMBOLS::get));
        assertEquals("com.acme.Agent$Loop.poll(Unknown Source)", f.describe(1, 3, SYMBOLS::get));
        assertNull(f.describe(1, 4, SYMBOLS::get));  // no class name
        assertNull(f.describe(1, 5, SYMBOLS::get));  // no such frame record
        assertNull(f.describe(1, 6, SYMBOLS::get));  // deeper than the stack
        assertNull(f.describe(1, -1, SYMBOLS::get)); // HPROF's "empty stack"
        assertNull(f.describe(2, 0, SYMBOLS::get));  // a thread without a trace
        // the first trace of a thread is kept; a frame id seen twice keeps its first record
        f.trace(1, new long[] {100});
        f.frame(100, 4, 0, 3, 7, 1);
        assertEquals("com.acme.Agent$Loop.run(Agent.java:40)", f.describe(1, 2, SYMBOLS::get));
    }
}
