package io.leakscope.heap;

import io.leakscope.findings.Heap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrowingPathsTest {
    private static Heap.GrowingPath path(List<String> steps, List<Heap.Accumulated> accumulated) {
        return new Heap.GrowingPath("sig", steps, "java.lang.Object[]", List.of(100L, 200L, 300L), List.of(1L, 2L, 3L),
                100, 60.0 * 1024 * 1024, 1, accumulated);
    }

    @Test
    void theHolderIsTheLastClassWithItsStaticFieldAndWhatAccumulatesUnderIt() {
        Heap.GrowingPath g = path(List.of("GC root (JNI global): jdk.internal.loader.ClassLoaders$AppClassLoader",
                ".classes → java.util.ArrayList", ".elementData → java.lang.Object[]",
                "[5] → class com.acme.agent.SessionRegistry", ".SESSIONS → java.util.concurrent.ConcurrentHashMap",
                ".table → java.util.concurrent.ConcurrentHashMap$Node[]"),
                List.of(new Heap.Accumulated("com.acme.agent.Message", List.of(10L, 30L, 50L), List.of(1L, 2L, 3L))));
        assertEquals("SessionRegistry.SESSIONS (ConcurrentHashMap) accumulates Message: +20 per dump, 60.0 MiB/min",
                GrowingPaths.describe(g));
        assertEquals(List.of("class com.acme.agent.SessionRegistry", ".SESSIONS → java.util.concurrent.ConcurrentHashMap",
                ".table → java.util.concurrent.ConcurrentHashMap$Node[]"), GrowingPaths.fromLastClass(g.pathFromRoot()));
    }

    @Test
    void withoutAClassOnThePathTheLastObjectHoldsIt() {
        Heap.GrowingPath g = path(List.of("GC root (thread object): java.lang.Thread", ".locals → java.util.ArrayList",
                ".elementData → java.lang.Object[]"), List.of());
        assertEquals("Object[] grows 60.0 MiB/min", GrowingPaths.describe(g));
        assertEquals("Object[][]", GrowingPaths.simple("java.lang.Object[][]"));
        assertEquals("Outer$Inner", GrowingPaths.simple("a.b.Outer$Inner"));
    }

    @Test
    void aCollectionInALocalVariableNamesItsMethod() {
        Heap.GrowingPath g = path(List.of("GC root (Java frame in com.acme.Agent$Loop.run(Agent.java:40)): java.util.ArrayList"),
                List.of(new Heap.Accumulated("com.acme.Message", List.of(10L, 30L, 50L), List.of(1L, 2L, 3L))));
        assertEquals("ArrayList (a local variable of Agent$Loop.run(Agent.java:40)) accumulates Message: +20 per dump,"
                + " 60.0 MiB/min", GrowingPaths.describe(g));
        // a root without its method, as before
        Heap.GrowingPath bare = path(List.of("GC root (Java frame): java.util.ArrayList"), List.of());
        assertEquals("ArrayList grows 60.0 MiB/min", GrowingPaths.describe(bare));
        assertEquals("Agent.read0(Native Method)", GrowingPaths.simpleMethod("com.acme.Agent.read0(Native Method)"));
    }
}
