package io.leakscope.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CulpritTest {
    @Test
    void pathStartsAtTheLastClassObject() {
        // the shape the heap engine gives for a static field of an application class
        List<String> path = List.of("GC root (JNI global): jdk.internal.loader.ClassLoaders$AppClassLoader",
                ".classes → java.util.ArrayList", ".elementData → java.lang.Object[]",
                "[4] → class com.example.Registry", ".SESSIONS → java.util.ArrayList",
                ".elementData → java.lang.Object[]", "[0] → com.example.Session", ".history → java.util.ArrayList");
        assertEquals(List.of("class com.example.Registry", ".SESSIONS → java.util.ArrayList",
                        ".elementData → java.lang.Object[]", "[0] → com.example.Session", ".history → java.util.ArrayList"),
                Culprit.fromLastClass(path));
    }

    @Test
    void pathWithoutAClassIsKept() {
        List<String> path = List.of("GC root (Java frame): com.example.Worker", ".buffers → java.util.ArrayList");
        assertEquals(path, Culprit.fromLastClass(path));
    }
}
