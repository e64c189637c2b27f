package io.leakscope.heap;

import java.util.List;

/**
 * One heap dump as a compact graph: objects are 0..N-1 in file order, every per-object fact is a primitive
 * array indexed by object, references are in CSR form ({@code refStart[v]..refStart[v+1]} into
 * {@code refs}), in heap arrays or mapped files ({@link ArraySpace}). {@code refSlot} says which field
 * (instance: ordinal in {@link ClassInfo#refNames}; class: ordinal of the static; array: element index) each
 * reference came from, so paths can name fields without keeping the dump around.
 */
public final class HeapGraph {
    public static final byte INSTANCE = 0;
    public static final byte OBJECT_ARRAY = 1;
    public static final byte PRIMITIVE_ARRAY = 2;
    public static final byte CLASS = 3;
    /** How a Reference holds its referent, strongest first: a SoftReference until the heap runs short, ... */
    static final byte SOFT = 1;
    static final byte WEAK = 2;
    static final byte FINAL = 3;   // a Finalizer: the object waits for its finalize() to run
    static final byte PHANTOM = 4; // a PhantomReference or Cleaner: already unreachable, awaiting its cleanup

    final String path;
    final long timestampMs;
    final int idSize;
    /** How the dumped JVM laid its objects out, which the shallow sizes follow, and how that was found. */
    final ObjectLayout.Inferred layout;
    final int objectCount;
    /** Where the reference arrays are, and where the analysis puts its own big tables. */
    final ArraySpace space;
    // not final: the analysis parks the ones the dominator pass does not read in a file (ParkedArrays), and may
    // drop the reference arrays once it has its paths (releaseReferences)
    byte[] kind;
    int[] classOf;               // index into classes
    int[] shallow;
    IntArray refStart;
    IntArray refs;
    IntArray refSlot;
    final List<ClassInfo> classes;
    final int[] rootObjects;     // GC roots, as object indexes (may repeat)
    final byte[] rootKinds;      // HPROF root sub-tags, parallel to rootObjects
    final int[] rootMethods;     // a Java frame's or JNI local's method, an index into methods; -1 none, or unknown
    final String[] methods;      // "pkg.Class.method(File.java:12)"
    /** Triples: a java.lang.ref.Reference, its referent (not an edge of the graph), {@link #SOFT} to PHANTOM. */
    final int[] referents;
    final long referenceCount;
    final boolean partial;
    final String partialReason;
    final long bytesRead;
    final long danglingRefs;
    final List<String> warnings;
    /** What the dump lacks or holds that is known and harmless, said so in the findings as info notes. */
    final List<String> infos;
    final SecretScanner.Hits secretHits;

    HeapGraph(String path, long timestampMs, int idSize, ObjectLayout.Inferred layout, int objectCount, ArraySpace space,
              byte[] kind, int[] classOf, int[] shallow, IntArray refStart, IntArray refs, IntArray refSlot,
              List<ClassInfo> classes, int[] rootObjects, byte[] rootKinds, int[] rootMethods, String[] methods,
              int[] referents,
              boolean partial, String partialReason,
              long bytesRead, long danglingRefs, List<String> warnings, List<String> infos,
              SecretScanner.Hits secretHits) {
        this.path = path;
        this.timestampMs = timestampMs;
        this.idSize = idSize;
        this.layout = layout;
        this.objectCount = objectCount;
        this.space = space;
        this.kind = kind;
        this.classOf = classOf;
        this.shallow = shallow;
        this.refStart = refStart;
        this.refs = refs;
        this.refSlot = refSlot;
        this.referenceCount = refStart.get(objectCount);
        this.classes = classes;
        this.rootObjects = rootObjects;
        this.rootKinds = rootKinds;
        this.rootMethods = rootMethods;
        this.methods = methods;
        this.referents = referents;
        this.partial = partial;
        this.partialReason = partialReason;
        this.bytesRead = bytesRead;
        this.danglingRefs = danglingRefs;
        this.warnings = warnings;
        this.infos = infos;
        this.secretHits = secretHits;
    }

    public int objectCount() {
        return objectCount;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public boolean partial() {
        return partial;
    }

    public long referenceCount() {
        return referenceCount;
    }

    /** Drops the reference arrays (refStart, refs, refSlot); only an analysis that has its paths may. */
    void releaseReferences() {
        space.release(refStart);
        space.release(refs);
        space.release(refSlot);
        refStart = null;
        refs = null;
        refSlot = null;
    }

    /** "java.util.ArrayList", "byte[]", "class java.lang.System". */
    String className(int object) {
        ClassInfo c = classes.get(classOf[object]);
        return kind[object] == CLASS ? "class " + c.name : c.name;
    }

    /** How the reference {@code slot} of {@code from} is called: ".field", "[i]", ".staticField". */
    String slotName(int from, int slot) {
        switch (kind[from]) {
            case OBJECT_ARRAY:
                return "[" + slot + "]";
            case CLASS: {
                ClassInfo c = classes.get(classOf[from]);
                if (slot == ClassInfo.LOADER_SLOT) {
                    return ".<classloader>";
                }
                return slot < c.staticRefNames.length ? "." + c.staticRefNames[slot] : ".<static>";
            }
            default: {
                ClassInfo c = classes.get(classOf[from]);
                return slot < c.refNames.length ? "." + c.refNames[slot] : ".<field>";
            }
        }
    }

    /** The same with array indexes collapsed, for signatures that must match across dumps. */
    String slotShape(int from, int slot) {
        return kind[from] == OBJECT_ARRAY ? "[]" : slotName(from, slot);
    }

    /** A class from the dump's CLASS_DUMP records; also stands for the synthetic primitive array classes. */
    static final class ClassInfo {
        static final int LOADER_SLOT = Integer.MAX_VALUE;
        final long id;
        final String name;
        final long superId;
        final long loaderId;
        final String[] refNames;        // flattened: this class's reference fields, then its superclass's …
        final int[] refOffsets;         // byte offset of each reference field in an instance record
        final int hprofInstanceBytes;   // field bytes per instance in the dump
        final int shallowSize;          // instance size on the heap
        final String[] staticRefNames;
        final int referentSlot;         // slot of java.lang.ref.Reference.referent, or -1
        final int stackWordsOffset;     // jdk.internal.vm.StackChunk: offset of its int size (words) in a record, or -1

        ClassInfo(long id, String name, long superId, long loaderId, String[] refNames, int[] refOffsets,
                  int hprofInstanceBytes, int shallowSize, String[] staticRefNames, int referentSlot,
                  int stackWordsOffset) {
            this.id = id;
            this.name = name;
            this.superId = superId;
            this.loaderId = loaderId;
            this.refNames = refNames;
            this.refOffsets = refOffsets;
            this.hprofInstanceBytes = hprofInstanceBytes;
            this.shallowSize = shallowSize;
            this.staticRefNames = staticRefNames;
            this.referentSlot = referentSlot;
            this.stackWordsOffset = stackWordsOffset;
        }
    }
}
