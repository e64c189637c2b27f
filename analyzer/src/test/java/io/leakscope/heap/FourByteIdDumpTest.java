package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dump with 4-byte identifiers, as a 32-bit JVM writes it (no JDK here runs 32-bit, so the test writes the
 * records itself, following the HPROF format): the layout of such a JVM (8-byte object header, 12-byte array
 * header, 4-byte references), the id index over 4-byte ids, dominators and retained sizes.
 * <pre>
 *   class Holder (sticky class root) --.ROOT--> Node n0 -> n1 -> ... -> n9   (Node {Node next; int value})
 *   JNI global root --> Object[3] {n5, byte[10], null}
 * </pre>
 * n5 is reached both ways, so it is dominated by the virtual root and retains n5..n9; n0 retains n0..n4.
 */
class FourByteIdDumpTest {
    private static final int OBJECT = 0x100;
    private static final int NODE = 0x104;
    private static final int HOLDER = 0x108;
    private static final int OBJECT_ARRAY = 0x10C;
    private static final int FIRST_NODE = 0x1000; // nodes 16 bytes apart, as a 32-bit heap lays them out
    private static final int ARRAY = 0x2000;
    private static final int BYTES = 0x2018;

    @Test
    void readsA32BitJvmDump(@TempDir Path tmp) throws IOException {
        Path dump = tmp.resolve("32bit.hprof");
        Files.write(dump, dump32());

        HeapGraph g = HprofReader.read(dump);
        assertFalse(g.partial, g.partialReason);
        assertEquals(4, g.idSize);
        assertEquals(ObjectLayout.THIRTY_TWO_BIT, g.layout.layout());
        assertTrue(g.layout.describe().startsWith("object sizes by a 32-bit JVM's layout"), g.layout.describe());
        assertEquals(4 + 10 + 2, g.objectCount); // 4 class objects, 10 nodes, the array, the byte[]
        assertEquals(List.of(), g.warnings);
        List<Integer> nodes = new ArrayList<>();
        for (int o = 0; o < g.objectCount; o++) {
            if (g.className(o).equals("test.Node")) {
                nodes.add(o);
            }
        }
        assertEquals(10, nodes.size());
        for (int node : nodes) {
            assertEquals(8 + 4 + 4, g.shallow[node]); // header 8, next 4, value 4
        }
        int array = nodes.get(9) + 1;
        int bytes = array + 1;
        assertEquals("java.lang.Object[]", g.className(array));
        assertEquals(24, g.shallow[array]);  // 12 + 3 × 4
        assertEquals(24, g.shallow[bytes]);  // 12 + 10, rounded up to 8
        int holder = HprofReaderTest.classObject(g, "test.Holder");
        assertEquals(nodes.get(0), HprofReaderTest.staticField(g, holder, "ROOT"));

        HeapAnalysis a = HeapAnalysis.of(g);
        assertEquals(5 * 16, a.retainedOf(nodes.get(0)));
        assertEquals(5 * 16, a.retainedOf(nodes.get(5)));
        assertEquals(-1, a.idomOf(nodes.get(5)));           // two ways in: the virtual root dominates it
        assertEquals(nodes.get(5), a.idomOf(nodes.get(6)));
        assertEquals(24 + 24, a.retainedOf(array));
        assertEquals(g.shallow[holder] + 5 * 16, a.retainedOf(holder));
    }

    /**
     * HotSpot up to JDK 14 starts a subclass's fields at a 4-byte boundary on a 32-bit JVM: C extends B extends A,
     * each with one byte field, is 8 + 4 + 4 + 1 = 17, 24 bytes, where the sum of its fields says 16 (MAT's 32-bit
     * JDK 5 and 6 test dumps have such classes, ClassLoader's subclasses among them, against their class
     * histograms). The instances' addresses show it, as in a 64-bit dump; ids that are not addresses (the JVMTI hprof
     * agent numbers the objects) leave the sum of the fields, and the findings say why.
     */
    @Test
    void sizesA32BitHierarchyByTheInstancesAddresses(@TempDir Path tmp) throws IOException {
        Path dump = Files.write(tmp.resolve("abc.hprof"), hierarchy32(true));
        HeapGraph g = HprofReader.read(dump);
        assertTrue(g.layout.fromAddresses(), g.layout.describe());
        assertEquals(ObjectLayout.THIRTY_TWO_BIT, g.layout.layout());
        assertTrue(g.layout.describe().startsWith("object sizes by the dumped JVM's layout, 8-byte object headers"),
                g.layout.describe());
        assertEquals(List.of(16, 16, 24), sizesOfABC(g));

        Files.write(dump, hierarchy32(false));
        g = HprofReader.read(dump);
        assertFalse(g.layout.fromAddresses());
        assertEquals(List.of(16, 16, 16), sizesOfABC(g));
        assertTrue(g.layout.describe().endsWith("not measured: the ids are not the objects' addresses (the JVMTI"
                + " hprof agent writes such dumps, on 64-bit JVMs too), so instances are sized by their fields"),
                g.layout.describe());
    }

    /** The shallow size of every instance of test.A, test.B and test.C, which must agree within a class. */
    private static List<Integer> sizesOfABC(HeapGraph g) {
        List<Integer> sizes = new ArrayList<>();
        for (String name : List.of("test.A", "test.B", "test.C")) {
            java.util.Set<Integer> of = new java.util.TreeSet<>();
            for (int o = 0; o < g.objectCount; o++) {
                if (g.kind[o] == HeapGraph.INSTANCE && g.className(o).equals(name)) {
                    of.add(g.shallow[o]);
                }
            }
            assertEquals(1, of.size(), name + ": " + of);
            sizes.add(of.iterator().next());
        }
        return sizes;
    }

    /**
     * 100 instances each of A {byte a}, B extends A {byte b} and C extends B {byte c}, at the addresses a 32-bit
     * HotSpot gives them (16, 16 and 24 bytes apart) or ({@code addresses} false) numbered one by one.
     */
    private static byte[] hierarchy32(boolean addresses) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        header(out, "1.0.1", "java/lang/Object", "test/A", "test/B", "test/C", "a", "b", "c");
        int[] classes = {OBJECT, 0x200, 0x204, 0x208};
        for (int i = 0; i < classes.length; i++) {
            record(out, 0x02, 16);
            out.writeInt(i + 1);
            out.writeInt(classes[i]);
            out.writeInt(0);
            out.writeInt(name(i));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(bytes);
        classDump(h, OBJECT, 0, new int[0], new int[0], 0);
        for (int c = 1; c <= 3; c++) {
            classDump(h, classes[c], classes[c - 1], new int[]{name(3 + c)}, new int[]{8}, 0);
        }
        int id = 0x10000;
        for (int c = 1; c <= 3; c++) {
            for (int i = 0; i < 100; i++) {
                h.writeByte(0x21);
                h.writeInt(id);
                h.writeInt(0);
                h.writeInt(classes[c]);
                h.writeInt(c); // a byte field a class
                h.write(new byte[c]);
                h.writeByte(0x06); // ROOT_NATIVE_STACK: object, thread serial
                h.writeInt(id);
                h.writeInt(1);
                id += addresses ? (c == 3 ? 24 : 16) : 1;
            }
        }
        byte[] heap = bytes.toByteArray();
        record(out, 0x0C, heap.length);
        out.write(heap);
        return file.toByteArray();
    }

    /** Mutated (4-byte ids make other lengths and offsets go wrong than 8-byte ones): an analysis or one line. */
    @Test
    void mutated32BitDumpsGiveAnAnalysisOrOneLine(@TempDir Path tmp) throws IOException {
        byte[] dump = dump32();
        java.util.Random rnd = new java.util.Random(32);
        Path p = tmp.resolve("fuzz.hprof");
        int analysed = 0;
        int iterations = Integer.getInteger("leakscope.fuzz.iterations", 400); // longer by hand, as HprofReaderTest's
        for (int iter = 0; iter < iterations; iter++) {
            byte[] b = dump.clone();
            for (int m = 1 + rnd.nextInt(4); m > 0; m--) {
                int at = 19 + rnd.nextInt(b.length - 19); // the id size and everything after it
                b[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
            }
            if (rnd.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, 19 + rnd.nextInt(b.length - 19));
            }
            Files.write(p, b);
            try {
                HeapGraph g = HprofReader.read(p, HprofReader.Progress.NONE, false, 1 + iter % 4);
                HeapAnalysis a = HeapAnalysis.of(g);
                a.summary(null);
                a.suspects();
                analysed++;
            } catch (io.leakscope.io.InputException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(analysed > 0);
    }

    /**
     * References to objects the dump does not list: a warning, unless they come from an object array held as a JNI
     * global (HotSpot holds its CDS archive's objects through one, and dumps only those of loaded classes: JDK 17
     * with G1, JDK 25), which gets an info note saying so.
     */
    @Test
    void danglingReferencesOfAGlobalArrayAreExplainedOthersWarned(@TempDir Path tmp) throws IOException {
        Path dump = tmp.resolve("dangling.hprof");
        Files.write(dump, dump32(true));
        HeapGraph g = HprofReader.read(dump);
        assertEquals(3, g.danglingRefs);
        assertEquals(List.of("1 references point to objects not in the dump (ignored)"), g.warnings);
        assertEquals(1, g.infos.size(), g.infos.toString());
        assertTrue(g.infos.get(0).startsWith("2 references of object arrays held as JNI globals point to objects not"
                + " in the dump"), g.infos.get(0));
        Files.write(dump, dump32(false));
        assertEquals(List.of(), HprofReader.read(dump).infos);
    }

    /**
     * Twenty classes whose statics each hold a byte array of 208 to 360 bytes, nothing else: together they hold the
     * whole heap, each a twentieth or so. They are one suspect, named as classes holding it through their static fields (not as "instances"
     * of the first class's name, as before).
     */
    @Test
    void classesThatTogetherHoldTheHeapAreOneSuspectNamedAsClasses(@TempDir Path tmp) throws IOException {
        int classes = 20;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        List<String> names = new ArrayList<>(List.of("java/lang/Object", "", "", "", "", "", "ROOT"));
        for (int i = 1; i <= classes; i++) {
            names.add("test/H" + i); // name(6 + i)
        }
        header(out, "1.0.2", names.toArray(new String[0]));
        for (int i = 0; i <= classes; i++) {
            record(out, 0x02, 16);
            out.writeInt(i + 1);
            out.writeInt(i == 0 ? OBJECT : 0x4000 + 0x10 * i);
            out.writeInt(0);
            out.writeInt(name(i == 0 ? 0 : 6 + i));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(bytes);
        classDump(h, OBJECT, 0, new int[0], new int[0], 0);
        for (int i = 1; i <= classes; i++) {
            classDump(h, 0x4000 + 0x10 * i, OBJECT, new int[0], new int[0], 0x8000 + 0x100 * i);
        }
        for (int i = 1; i <= classes; i++) {
            h.writeByte(0x23);
            h.writeInt(0x8000 + 0x100 * i);
            h.writeInt(0);
            h.writeInt(200 + 8 * i);
            h.writeByte(8);
            h.write(new byte[200 + 8 * i]);
            h.writeByte(0x05); // ROOT_STICKY_CLASS
            h.writeInt(0x4000 + 0x10 * i);
        }
        byte[] heap = bytes.toByteArray();
        record(out, 0x1C, heap.length);
        out.write(heap);
        record(out, 0x2C, 0);
        Path dump = tmp.resolve("classes.hprof");
        Files.write(dump, file.toByteArray());

        List<io.leakscope.findings.Heap.LeakSuspect> suspects = HeapAnalysis.of(HprofReader.read(dump)).suspects();
        assertEquals(1, suspects.size(), suspects.toString());
        io.leakscope.findings.Heap.LeakSuspect s = suspects.get(0);
        assertEquals("java.lang.Class", s.className());
        assertTrue(s.description().startsWith(classes + " classes retain 100.0% of the reachable heap"), s.description());
        assertTrue(s.description().contains("through their static fields; the biggest, class test.H20, accumulates in"),
                s.description());
    }

    /** The whole file: header, names, classes, one heap dump segment. */
    private static byte[] dump32() throws IOException {
        return dump32(false);
    }

    /** {@code dangling}: the last node's next, and two more elements of the array, point to no object. */
    private static byte[] dump32(boolean dangling) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        header(out, "1.0.2", "java/lang/Object", "test/Node", "test/Holder", "[Ljava/lang/Object;", "next", "value",
                "ROOT");
        int[] classes = {OBJECT, NODE, HOLDER, OBJECT_ARRAY};
        for (int i = 0; i < classes.length; i++) {
            record(out, 0x02, 16); // LOAD_CLASS
            out.writeInt(i + 1);
            out.writeInt(classes[i]);
            out.writeInt(0);
            out.writeInt(name(i));
        }
        byte[] heap = heap(dangling);
        record(out, 0x1C, heap.length);
        out.write(heap);
        record(out, 0x2C, 0); // HEAP_DUMP_END
        return file.toByteArray();
    }

    private static byte[] heap(boolean dangling) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(bytes);
        classDump(h, OBJECT, 0, new int[0], new int[0], 0);
        classDump(h, NODE, OBJECT, new int[]{name(4), name(5)}, new int[]{2, 10}, 0);
        classDump(h, HOLDER, OBJECT, new int[0], new int[0], FIRST_NODE);
        classDump(h, OBJECT_ARRAY, OBJECT, new int[0], new int[0], 0);
        for (int i = 0; i < 10; i++) {
            h.writeByte(0x21); // INSTANCE_DUMP: next, then value
            h.writeInt(FIRST_NODE + 16 * i);
            h.writeInt(0);
            h.writeInt(NODE);
            h.writeInt(8);
            h.writeInt(i < 9 ? FIRST_NODE + 16 * (i + 1) : dangling ? 0x7000 : 0);
            h.writeInt(i);
        }
        h.writeByte(0x22); // OBJ_ARRAY_DUMP
        h.writeInt(ARRAY);
        h.writeInt(0);
        h.writeInt(dangling ? 5 : 3);
        h.writeInt(OBJECT_ARRAY);
        h.writeInt(FIRST_NODE + 16 * 5);
        h.writeInt(BYTES);
        h.writeInt(0);
        if (dangling) {
            h.writeInt(0x7100);
            h.writeInt(0x7200);
        }
        h.writeByte(0x23); // PRIM_ARRAY_DUMP of bytes
        h.writeInt(BYTES);
        h.writeInt(0);
        h.writeInt(10);
        h.writeByte(8);
        h.write(new byte[10]);
        h.writeByte(0x05); // ROOT_STICKY_CLASS
        h.writeInt(HOLDER);
        h.writeByte(0x01); // ROOT_JNI_GLOBAL: object, JNI reference
        h.writeInt(ARRAY);
        h.writeInt(0x9000);
        return bytes.toByteArray();
    }

    /** A CLASS_DUMP with the given instance fields and, when {@code rootStatic} is not 0, a static ROOT. */
    private static void classDump(DataOutputStream h, int id, int superId, int[] fieldNames, int[] fieldTypes,
                                  int rootStatic) throws IOException {
        h.writeByte(0x20);
        h.writeInt(id);
        h.writeInt(0);
        h.writeInt(superId);
        for (int i = 0; i < 5; i++) {
            h.writeInt(0); // loader, signers, protection domain, two reserved
        }
        h.writeInt(4 * fieldTypes.length); // instance size: references and ints are 4 bytes alike here
        h.writeShort(0); // constant pool
        h.writeShort(rootStatic != 0 ? 1 : 0);
        if (rootStatic != 0) {
            h.writeInt(name(6));
            h.writeByte(2);
            h.writeInt(rootStatic);
        }
        h.writeShort(fieldNames.length);
        for (int i = 0; i < fieldNames.length; i++) {
            h.writeInt(fieldNames[i]);
            h.writeByte(fieldTypes[i]);
        }
    }

    /** The file header (4-byte ids) and a UTF8 record per name, the i-th with the id {@code name(i)}. */
    private static void header(DataOutputStream out, String version, String... names) throws IOException {
        out.write(("JAVA PROFILE " + version + "\0").getBytes(StandardCharsets.US_ASCII));
        out.writeInt(4);
        out.writeLong(1_764_000_000_000L);
        for (int i = 0; i < names.length; i++) {
            byte[] utf8 = names[i].getBytes(StandardCharsets.UTF_8);
            record(out, 0x01, 4 + utf8.length);
            out.writeInt(name(i));
            out.write(utf8);
        }
    }

    private static int name(int i) {
        return 0x10 + i;
    }

    private static void record(DataOutputStream out, int tag, int length) throws IOException {
        out.writeByte(tag);
        out.writeInt(0);
        out.writeInt(length);
    }
}
