package io.leakscope.heap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the dumped JVM laid its objects out, which HPROF does not record: header bytes, reference bytes, object
 * alignment and where array elements start. Object sizes follow from it (an instance: header + fields, rounded up
 * to the alignment; an array: its element base + length × element size, rounded up).
 * <p>
 * A 64-bit dump's layout is read off the dump itself ({@link #infer}): object ids are addresses, and Serial,
 * Parallel and G1 dump the objects of a heap region in address order, so where one object follows another in the
 * dump and in memory, the difference of their ids is the first one's size. ZGC and Shenandoah dump in the order
 * their heap walk finds the objects, a traversal: an object is followed by one of its referents, often the one
 * allocated right after it, which is still enough to tell the layout, not to measure a class. Each candidate
 * layout predicts those sizes; the one that predicts the most of them is the JVM's. Without enough such pairs (a
 * tiny dump, ids that are not addresses), the layout is guessed from the highest address as before: compressed
 * references below 32 GB.
 *
 * @param header      instance header: 12 (mark word + compressed class pointer), 16 (full class pointer), 8
 *                    (JDK 24+ compact object headers) or 8 on a 32-bit JVM
 * @param oop         reference field and object array element bytes: 4 (compressed oops, 32-bit) or 8
 * @param alignment   object alignment, -XX:ObjectAlignmentInBytes (8 unless set)
 * @param arrayBase   where the elements of an array of 1-, 2- or 4-byte elements start
 * @param arrayBase8  where the elements of an array of 8-byte elements start
 */
record ObjectLayout(int header, int oop, int alignment, int arrayBase, int arrayBase8) {
    /**
     * The classes the JDK pads with {@code @Contended} (JDK 8-27; Thread up to JDK 18, Exchanger's Node became
     * Slot): 128 bytes before the field group laid out last and 128 after, which the reader adds to their fields
     * before JDK 15's layout and, from it on, lays out field by field ({@link #contendedInstanceSize}); their
     * subclasses' fields go after the padding.
     */
    static final Set<String> CONTENDED = Set.of("java.lang.Thread", "java.util.concurrent.atomic.Striped64$Cell",
            "java.util.concurrent.ConcurrentHashMap$CounterCell", "java.util.concurrent.Exchanger$Node",
            "java.util.concurrent.Exchanger$Slot", "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ForkJoinPool$WorkQueue", "java.util.concurrent.SubmissionPublisher$BufferedSubscription");

    /** -XX:ContendedPaddingWidth's default: the least padding around a {@code @Contended} field group. */
    static final int CONTENDED_PADDING = 128;

    /**
     * How many paddings of {@link #CONTENDED_PADDING} a JDK of floor {@code jdk} (HprofReader.jdkFloor) puts into an
     * instance of this class for {@code @Contended}: one before each field group it sets apart and one after the
     * last, a padded class being a group of its own; 0 for a class it does not pad. Thread is padded before JDK 19
     * (from then its fields are in Thread$FieldHolder), Exchanger's Node before JDK 24 (Exchanger was rewritten
     * then: a 40-byte Node on JDK 24-27, measured); SubmissionPublisher$BufferedSubscription as a class and for its
     * {@code demand} and {@code waiting} besides (472 bytes on JDK 17-26, 464 on JDK 27, measured).
     */
    static int contendedPaddings(String className, int jdk) {
        if (!CONTENDED.contains(className)) {
            return 0;
        }
        return switch (className) {
            case "java.lang.Thread" -> jdk < 19 ? 2 : 0;
            case "java.util.concurrent.Exchanger$Node" -> jdk < 24 ? 2 : 0;
            case "java.util.concurrent.SubmissionPublisher$BufferedSubscription" -> 3;
            default -> 2;
        };
    }

    /**
     * Which {@code @Contended} group HotSpot puts field {@code field} of padded class {@code className} in, on a
     * JDK of floor {@code jdk} that lays fields out as from JDK 15 (HprofReader.jdkFloor: 15, 19, 24 or 27): 0 for
     * a regular field, 1 for the group the class's padding sets apart (each class here has one at most, besides
     * the class itself), -1 where the class is padded as a whole and this field is not in a group of its own. Read
     * off Unsafe.objectFieldOffset on JDK 16, 17, 18, 21, 24, 25, 26 and 27: ForkJoinPool's {@code ctl} (and {@code
     * parallelism} from 19 on: 21's); its WorkQueue as a class on JDK 16 (the one that declares {@code pool}), from
     * 17 on {@code top}, {@code source} and {@code nsteals}, {@code phase} too from 19 (21: and {@code access}), and
     * {@code stackPred} and {@code parking} from 24; Thread's {@code threadLocalRandom*} before 19;
     * BufferedSubscription as a class and {@code demand} and {@code waiting} besides; Striped64$Cell,
     * ConcurrentHashMap$CounterCell and, before 24, Exchanger's Node as classes.
     */
    static int contendedGroup(String className, String field, int jdk, List<String> declared) {
        switch (className) {
            case "java.lang.Thread":
                return field.startsWith("threadLocalRandom") ? 1 : 0;
            case "java.util.concurrent.ForkJoinPool":
                return field.equals("ctl") || field.equals("parallelism") ? 1 : 0;
            case "java.util.concurrent.ForkJoinPool$WorkQueue":
                if (declared.contains("pool")) {
                    return -1;
                }
                return switch (field) {
                    case "top", "source", "nsteals", "access" -> 1;
                    case "phase" -> jdk >= 19 ? 1 : 0;
                    case "stackPred", "parking" -> jdk >= 24 ? 1 : 0;
                    default -> 0;
                };
            case "java.util.concurrent.SubmissionPublisher$BufferedSubscription":
                return field.equals("demand") || field.equals("waiting") ? 1 : -1;
            default:
                return -1;
        }
    }

    /**
     * The instance size HotSpot's field layout from JDK 15 on (FieldLayoutBuilder) gives a class padded with
     * {@code @Contended} whose superclasses declare no field: its regular fields from the header on, the primitives
     * biggest first and then the references, each into the smallest gap it fits (aligned to its size) or at the
     * end; then each group behind {@link #CONTENDED_PADDING} bytes, appended, and as many after the last. A class
     * padded as a whole starts with the padding, and all its fields are appended. So a gap the regular fields leave
     * stays empty: JDK 21's ForkJoinPool with 8-byte references leaves 4 bytes after {@code runState}, JDK 25's the
     * 4 after the header, which a sum of the field bytes gave the group's {@code parallelism} (392 and 400 bytes,
     * not 384 and 392). {@code sizes}: the fields' bytes in declaration order; {@code refs}: which are references;
     * {@code groups}: {@link #contendedGroup} of each.
     */
    long contendedInstanceSize(int[] sizes, boolean[] refs, int[] groups) {
        boolean whole = false;
        int last = 0;
        for (int g : groups) {
            whole |= g < 0;
            last = Math.max(last, g);
        }
        long[] end = {header + (whole ? CONTENDED_PADDING : 0)};
        List<long[]> gaps = new ArrayList<>(); // empty blocks before the end, [from, to), by offset
        for (int group = whole ? -1 : 0; group <= last; group++) {
            if (group > 0) {
                end[0] += CONTENDED_PADDING;
            }
            boolean fill = group == 0; // groups and a padded class's fields are appended
            // primitives biggest first (a stable sort: declaration order among equals), then references
            for (int size = 8; size >= 1; size /= 2) {
                for (int f = 0; f < sizes.length; f++) {
                    if (groups[f] == group && !refs[f] && sizes[f] == size) {
                        place(size, fill, gaps, end);
                    }
                }
            }
            for (int f = 0; f < sizes.length; f++) {
                if (groups[f] == group && refs[f]) {
                    place(sizes[f], fill, gaps, end);
                }
            }
        }
        return align(end[0] + (whole || last > 0 ? CONTENDED_PADDING : 0));
    }

    private static void place(int size, boolean fill, List<long[]> gaps, long[] end) {
        long[] best = null;
        if (fill) {
            // HotSpot searches from the end backwards and keeps the smallest gap that fits
            for (int i = gaps.size() - 1; i >= 0; i--) {
                long[] gap = gaps.get(i);
                if (alignUp(gap[0], size) + size <= gap[1] && (best == null || gap[1] - gap[0] < best[1] - best[0])) {
                    best = gap;
                }
            }
        }
        if (best == null) {
            long at = alignUp(end[0], size);
            if (at > end[0]) {
                gaps.add(new long[] {end[0], at});
            }
            end[0] = at + size;
            return;
        }
        long at = alignUp(best[0], size);
        int i = gaps.indexOf(best);
        gaps.remove(i);
        if (at + size < best[1]) {
            gaps.add(i, new long[] {at + size, best[1]});
        }
        if (at > best[0]) {
            gaps.add(i, new long[] {best[0], at});
        }
    }

    /** A field's offset: {@code offset} rounded up to a multiple of its size. */
    private static long alignUp(long offset, int size) {
        return (offset + size - 1) / size * size;
    }

    /** A 32-bit JVM: 8-byte headers, 4-byte words; 4-byte ids say so. */
    static final ObjectLayout THIRTY_TWO_BIT = new ObjectLayout(8, 4, 8, 12, 16);

    /**
     * The layout of a 64-bit HotSpot with default flags: compressed references when the heap's addresses are below
     * 32 GB, else 8-byte references and, as JDK 8-14 have it, full class pointers.
     */
    static ObjectLayout guess(long highestAddress) {
        return highestAddress < (32L << 30) ? new ObjectLayout(12, 4, 8, 16, 16) : new ObjectLayout(16, 8, 8, 24, 24);
    }

    long instanceSize(long fieldBytes) {
        return align(header + fieldBytes);
    }

    /**
     * Where the fields end under HotSpot's field layout before JDK 15 (JDK-8237767 replaced it): each class's
     * fields start where its superclass's end, rounded up to the reference size (so a subclass of a class that
     * ends in a boolean starts 3 bytes on, and one of a class ending in an int starts 4 bytes on with 8-byte
     * references: JDK 11's ArrayList is 40 bytes there, JDK 17's 32); within a class the 8-byte fields come
     * first, a gap before them taken by an int, two shorts, up to four bytes or a 4-byte reference, then the other
     * primitives by size, then the references. {@code classes}: top-down, each {longs and doubles, ints and
     * floats, shorts and chars, bytes and booleans, references} and, optionally, 1 for a class of {@link
     * #OOPS_FIRST_BEFORE_15}.
     */
    long fieldsEndBefore15(List<int[]> classes) {
        return fieldsEndBefore15(header, classes);
    }

    /** As {@link #fieldsEndBefore15(List)}, the first class's fields from {@code start} on (behind a padded class). */
    long fieldsEndBefore15(long start, List<int[]> classes) {
        long end = start;
        for (int[] c : classes) {
            int longs = c[0];
            int ints = c[1];
            int shorts = c[2];
            int bytes = c[3];
            int refs = c[4];
            if (longs + ints + shorts + bytes + refs == 0) {
                continue;
            }
            long off = roundUp(end, oop);
            if (c.length > 5 && c[5] != 0) { // OOPS_FIRST_BEFORE_15: references, then the rest by size, no gap filled
                off += (long) refs * oop;
                if (longs > 0) {
                    off = roundUp(off, 8) + 8L * longs;
                }
                end = roundUp(off + 4L * ints + 2L * shorts + bytes, oop);
                continue;
            }
            if (longs > 0 && off % 8 != 0) {
                if (ints > 0) {
                    ints--;
                } else if (shorts > 0) {
                    shorts -= Math.min(2, shorts);
                } else if (bytes > 0) {
                    bytes -= Math.min(4, bytes);
                } else if (refs > 0 && oop == 4) {
                    refs--;
                }
                off += 4;
            }
            off += 8L * longs + 4L * ints + 2L * shorts + bytes;
            if (refs > 0) {
                off = roundUp(off, oop) + (long) refs * oop;
            }
            end = roundUp(off, oop);
        }
        return end;
    }

    private static long roundUp(long x, int to) {
        return (x + to - 1) / to * to;
    }

    long objectArraySize(long length) {
        return align((oop == 8 ? arrayBase8 : arrayBase) + length * oop);
    }

    long primitiveArraySize(long length, int elementSize) {
        return align((elementSize == 8 ? arrayBase8 : arrayBase) + length * elementSize);
    }

    private long align(long bytes) {
        return (bytes + alignment - 1) & -alignment;
    }

    /** "12-byte headers, 4-byte references, 8-byte alignment, array elements from byte 16". */
    String describe() {
        return header + "-byte object headers, " + oop + "-byte references, " + alignment + "-byte alignment, array"
                + " elements from byte " + (arrayBase == arrayBase8 ? arrayBase + "" : arrayBase + " (" + arrayBase8
                + " for longs and doubles)");
    }

    /**
     * What pass 1 noted of a run of records in dump order: each object's id and what its size depends on, an
     * instance's class id (its fields are looked up once the classes are known, {@link Fields}) or an array's
     * length and element size (0: references). Only the first {@link #CAPACITY} records of a part are noted.
     */
    static final class Sample {
        static final int CAPACITY = 1 << 14;
        static final byte INSTANCE = 0;
        static final byte ARRAY = 1;
        static final byte OTHER = 2; // a class object: its size is not modelled, so it pairs with nothing
        final long[] ids = new long[CAPACITY];
        final long[] args = new long[CAPACITY]; // an instance's class id, an array's length
        final byte[] kinds = new byte[CAPACITY];
        final byte[] elementSizes = new byte[CAPACITY];
        int count;

        boolean full() {
            return count == CAPACITY;
        }

        void instance(long id, long classId) {
            add(id, INSTANCE, classId, 0);
        }

        void array(long id, long length, int elementSize) {
            add(id, ARRAY, length, elementSize);
        }

        void other(long id) {
            add(id, OTHER, 0, 0);
        }

        private void add(long id, byte kind, long arg, int elementSize) {
            if (count < CAPACITY) {
                ids[count] = id;
                kinds[count] = kind;
                args[count] = arg;
                elementSizes[count++] = (byte) elementSize;
            }
        }
    }

    /**
     * Per class, the smallest positive difference between an instance's address and the next dumped object's,
     * and how many instances had it. Objects do not overlap, so that difference is never below the instance's
     * size, and is its size wherever the next object follows it in memory: the JVM's real instance size, with
     * what HPROF leaves out (fields HotSpot injects, as {@code ClassLoader.loader_data}, {@code
     * MemberName.vmindex} or {@code Module.module_entry}; {@code @Contended} padding, 256 bytes in JDK 17's
     * {@code Thread}; packing gaps), where the layout's sum of the fields cannot know it.
     */
    static final class Neighbours {
        long[] min = new long[0];
        int[] count = new int[0];
        int[] seen = new int[0]; // instances with a next object at a higher address

        void size(int classes) {
            if (min.length < classes) {
                min = Arrays.copyOf(min, classes);
                count = Arrays.copyOf(count, classes);
                seen = Arrays.copyOf(seen, classes);
            }
        }

        /**
         * The smallest distance from any instance to the next object, 0 if none was seen. Below it, no measurement
         * tells an instance's size: CMS (JDK 8-13) keeps every block of its old generation at least three words
         * long (a free chunk's header), so there a 16-byte Integer is followed by the next object 24 bytes on,
         * while the JVM counts it at 16, as it does under every other collector.
         */
        long smallestGap() {
            long g = 0;
            for (int k = 0; k < min.length; k++) {
                if (count[k] > 0 && (g == 0 || min[k] < g)) {
                    g = min[k];
                }
            }
            return g;
        }

        void observe(int k, long delta) {
            if (delta <= 0) {
                return; // the next object is at a lower address: another region
            }
            seen[k]++;
            long m = min[k];
            if (m == 0 || delta < m) {
                min[k] = delta;
                count[k] = 1;
            } else if (delta == m) {
                count[k]++;
            }
        }

        void add(Neighbours o) {
            size(o.min.length);
            for (int k = 0; k < o.min.length; k++) {
                seen[k] += o.seen[k];
                if (o.count[k] > 0) {
                    if (count[k] == 0 || o.min[k] < min[k]) {
                        min[k] = o.min[k];
                        count[k] = o.count[k];
                    } else if (o.min[k] == min[k]) {
                        count[k] += o.count[k];
                    }
                }
            }
        }
    }

    /**
     * An instance class's size from its layout ({@code modelled}) and its instances' neighbours ({@code
     * measured}, the smallest distance to the next object, had by {@code times} of the {@code seen} instances
     * whose next object is at a higher address), with {@code inherited} bytes of a superclass's correction added
     * to its layout. The measurement, an upper bound of the size, is taken when it is below that; above it, when
     * at least two instances and half of those seen agree on it (an instance followed by an object the dump does
     * not list among the others, a class's mirror, is off by that object's size, 96 bytes or more for a mirror,
     * and only now and then), or when it is at most 16 bytes over and, from a single instance, at most {@code
     * slack} bytes: what the layout may miss of the class. That is 16 bytes before JDK 15's layout (an injected
     * field or two: a subclass of ClassLoader or of a padded Thread on JDK 8-14), one alignment unit for a class
     * the JDK pads with @Contended where it is not laid out field by field ({@link #contendedInstanceSize}: a
     * superclass with fields of its own), and nothing for the rest from JDK 15's layout on, whose injected fields
     * the model has: one instance's larger distance is then a gap (JDK 28 loads the archived objects of its CDS
     * archive into a heap under 4 GB 16 bytes apart: its one preallocated ClassCastException measured 48 bytes for
     * the JVM's 32). All that holds where the dump is in {@code addressOrder}; in a traversal, above the layout only
     * by less than the smallest object.
     */
    long instanceSize(long modelled, long inherited, long measured, int times, int seen, boolean addressOrder,
            long slack) {
        long expected = modelled + inherited;
        if (times == 0 || measured < header || measured % alignment != 0) {
            return expected;
        }
        if (measured <= expected) {
            return measured;
        }
        if (times < 2 && measured - expected > slack) {
            return expected;
        }
        if (!addressOrder) {
            // the next object in a traversal is often one allocated a little later, not the next in memory, and
            // as often for every instance of a class (ZGC: Class$ReflectionData measured 160 bytes for 104); only
            // a gap too small for any object is a field
            return measured - expected < instanceSize(0) ? measured : expected;
        }
        if ((times >= 2 && times * 2L >= seen) || measured - expected <= 16) {
            return measured;
        }
        return expected;
    }

    /**
     * The bytes HotSpot adds to an instance of class {@code name} where it lays fields out as from JDK 15 (15-27;
     * before, {@link #injectedFieldsBefore15}; {@code jdk}, the oldest JDK the dump can be of: 15, 19, 24 or 27),
     * as its javaClasses.hpp injects them and HPROF does not list them: a word for ClassLoader.loader_data,
     * MemberName.vmindex and Module.module_entry; a word and a reference for ResolvedMethodName (vmtarget; vmholder,
     * until JDK 25 declares it among {@code refNames}, the class's reference fields as the dump lists them); a word
     * and a long for MethodHandleNatives.CallSiteContext (vmdependencies, last_cleanup); a boolean for InternalError
     * (during_unsafe_access); a short for StackFrameInfo (version: JDK 21's fields leave it a gap, JDK 24's and 25's
     * do not, Unsafe.objectFieldOffset: a StackWalker's frame 48 bytes where its fields give 40); a word for
     * VirtualThread from JDK 24 on (objectWaiter). A java.lang.Class instance (a mirror's fixed part) has two words
     * (klass, array_klass), two ints (oop_size, static_oop_field_count) and three references, two where the class
     * declares its protection domain (and signers) itself: against the JVMs' class histograms, 40 bytes a mirror on
     * JDK 17 (compressed references) and 48 (ZGC), 32 on JDK 25 and 40 (ZGC). On JDK 21 an int more ({@code jdk}
     * 19: the dump has JDK 19's {@code Thread$FieldHolder}, so JDK 19-23): its ZGC mirrors are 8 bytes bigger each
     * than JDK 17's, 897 of 897, where compressed references leave a gap the int fits. JDK 24 declares {@code
     * signers} ({@code jdk} 24) and has no
     * such int: its declared fields' offsets (Unsafe.objectFieldOffset) leave five 8-byte slots to the two the
     * reflection filter hides and three injected references, and end where the words and ints go; with compact
     * headers {@code classRedefinedCount} sits at byte 24, not 8, so the mirror is as big as with 12-byte headers
     * (184 bytes without statics under ZGC, 112 with compressed references: {@code Instrumentation.getObjectSize}).
     * Measured where the dump is in address order, where the measurement agrees; modelled here where it is not. On
     * JDK 19+ Thread has a word, an int, a boolean and a short (JVMTI's and JFR's), which fill
     * the gaps its declared fields leave (Unsafe.objectFieldOffset on JDK 21, 25 and 27: holes of 8, 6 and 1 bytes);
     * a subclass's own fields go after them, or into a gap only 8-byte references leave (JDK 21 and 25 ZGC: a
     * subclass's boolean at byte 60, before {@code name}). Subclasses get them as bytes from JDK 15 on (HotSpot
     * packs them with the subclass's fields), with the rest of their superclass's correction before. JDK 27 adds an
     * int to java.lang.reflect.Field (its declared fields end at byte 64 with compact headers, the JVM counts 72; 112
     * and 120 without compressed references, with and without compact headers: 4 bytes, not 8).
     */
    long injectedBytes(String name, int wordBytes, String[] refNames, int jdk) {
        boolean virtualThreads = jdk >= 19;
        switch (name) {
            case "java.lang.ClassLoader":
            case "java.lang.invoke.MemberName":
            case "java.lang.Module":
                return wordBytes;
            case "java.lang.invoke.ResolvedMethodName":
                return wordBytes + (Arrays.asList(refNames).contains("vmholder") ? 0 : oop);
            case "java.lang.invoke.MethodHandleNatives$CallSiteContext":
                return wordBytes + 8;
            case "java.lang.InternalError":
                return 1;
            case "java.lang.StackFrameInfo":
                return 2; // version: in a gap of JDK 17-21's fields, 8 bytes more from JDK 22's on (48 for 40)
            case "java.lang.Thread":
                // JDK 19+: jvmti_thread_state, jvmti_VTMS_transition_disable_count, jvmti_is_in_VTMS_transition,
                // jfr_epoch; before, Thread was padded for @Contended, which its measured size gives
                return virtualThreads ? wordBytes + 4 + 1 + 2 : 0;
            case "java.lang.reflect.Field":
                return jdk >= 27 ? 4 : 0;
            case "java.lang.VirtualThread":
                // objectWaiter (JDK 24 on, JEP 491): a word between timeout and the booleans, Unsafe.objectFieldOffset
                return jdk >= 24 ? wordBytes : 0;
            case "java.lang.Class": {
                boolean jdk25 = Arrays.asList(refNames).contains("protectionDomain");
                return 2L * wordBytes + 8 + (jdk25 ? 2 : 3) * (long) oop + (virtualThreads && jdk < 24 ? 4 : 0);
            }
            case HprofReader.STACK_CHUNK:
                return oop + 1 + wordBytes + 4 + 1; // cont, flags, pc, maxThawingSize, lockStackSize
            default:
                return 0;
        }
    }

    /**
     * The classes whose fields HotSpot before JDK 15 laid out references first and left no gap filled (its
     * classFileParser kept them so for the offsets javaClasses once hard-coded), when the boot loader defines them:
     * JDK 13's ClassLoader has its 14 references from byte 12, its injected word at 72 and its boolean at 80, so its
     * subclasses' fields start at 84, not 80.
     */
    static final Set<String> OOPS_FIRST_BEFORE_15 = Set.of("java.lang.AssertionStatusDirectives", "java.lang.Class",
            "java.lang.ClassLoader", "java.lang.ref.Reference", "java.lang.ref.SoftReference",
            "java.lang.StackTraceElement", "java.lang.String", "java.lang.Throwable", "java.lang.Boolean",
            "java.lang.Character", "java.lang.Float", "java.lang.Double", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long");

    /**
     * What HotSpot injects into an instance of class {@code name} before JDK 15 ({@code jdk}: 8, or 13 where the
     * dump's String declares hashIsZero), as fields of each kind ({longs and doubles, ints and floats, shorts and
     * chars, bytes and booleans, references}, a word a long with 8-byte words, an int with 4): there HotSpot lays a
     * class's injected fields out with its declared ones, so that a subclass's fields start after them. As {@link
     * #injectedBytes}, but for MethodHandleNatives.CallSiteContext's long (last_cleanup), which came in JDK 12:
     * measured on 9, 11 and 13 (JDK 12's dumps are taken for 9-11's).
     */
    int[] injectedFieldsBefore15(String name, int wordBytes, int jdk) {
        int[] c = new int[5];
        int word = wordBytes == 8 ? 0 : 1;
        switch (name) {
            case "java.lang.ClassLoader", "java.lang.invoke.MemberName", "java.lang.Module" -> c[word]++;
            case "java.lang.invoke.ResolvedMethodName" -> {
                c[word]++;
                c[4]++; // vmholder
            }
            case "java.lang.invoke.MethodHandleNatives$CallSiteContext" -> {
                c[word]++;
                c[0] += jdk >= 13 ? 1 : 0; // last_cleanup (JDK 12 on; 12's dumps taken for 9-11's)
            }
            case "java.lang.InternalError" -> c[3]++;
            case "java.lang.StackFrameInfo" -> c[2]++;
            case "java.lang.Class" -> {
                c[word] += 2;
                c[1] += 2;
                c[4] += 3;
            }
            default -> { }
        }
        return c;
    }

    /** 1 GB: far beyond any virtual thread's stack (HotSpot's own limit is the thread stack size). */
    static final int MAX_STACK_WORDS = 1 << 27;

    /**
     * A {@code jdk.internal.vm.StackChunk}'s size (JDK 19+: a virtual thread's frames while it is unmounted): its
     * fields ({@code base}), then its stack of {@code words} 8-byte words, then a bitmap of a bit per reference slot
     * the stack could hold, in whole words. HPROF lists only the fields, 32 bytes where the JVM counts 2,315 on
     * average in the test's dump of 2,000 parked virtual threads.
     */
    long stackChunkSize(long base, int words) {
        if (words <= 0 || words > MAX_STACK_WORDS) {
            return base; // a damaged record: no stack rather than one of gigabytes
        }
        long bitmapBits = (long) words * (8 / oop);
        return align(base + 8L * words + 8 * ((bitmapBits + 63) / 64));
    }

    /** An instance class's fields as the sizes need them: bytes with 4-byte references, and how many references. */
    interface Fields {
        /** Field bytes with 4-byte references in the high half, the reference count in the low; -1 unknown. */
        long of(long classId);
    }

    /**
     * What {@link #infer} chose and on how much evidence; {@code addressOrder}: the dump lists objects in the order
     * of their addresses (Serial, Parallel, G1), so an instance's distance to the next object measures its class.
     */
    record Inferred(ObjectLayout layout, int matched, int pairs, boolean fromAddresses, boolean addressOrder) {
        String describe() {
            if (!fromAddresses && layout == THIRTY_TWO_BIT) {
                // too few objects to tell, or ids that are not addresses: the JVMTI hprof agent (JDK 5-8) numbers
                // the objects and writes 4-byte ids on a 64-bit JVM too
                return "object sizes by a 32-bit JVM's layout (the dump's ids are 4 bytes), " + layout.describe()
                        + (pairs < 64 ? "" : "; not measured: the ids are not the objects' addresses (the JVMTI hprof"
                        + " agent writes such dumps, on 64-bit JVMs too), so instances are sized by their fields");
            }
            if (!fromAddresses) {
                return "object sizes by a guessed layout, " + layout.describe() + ": the dump's addresses did not"
                        + " tell (any layout the objects' addresses allow gives the size of at most " + matched + " of "
                        + pairs + " objects that follow one another in the dump)";
            }
            return "object sizes by the dumped JVM's layout, " + layout.describe() + " (it gives the size of "
                    + matched + " of " + pairs + " objects that follow one another in the dump and in memory)"
                    + (addressOrder ? "" : "; the dump lists objects in the order the collector found them (ZGC,"
                    + " Shenandoah), not by address, so classes are sized by the layout and the fields HotSpot is"
                    + " known to add, not measured");
        }
    }

    /**
     * Every layout 64-bit HotSpot (JDK 8-25) can have, the guessed one first so that it wins ties; a 32-bit JVM has
     * one ({@code -XX:ObjectAlignmentInBytes} is a 64-bit flag), which only the addresses can confirm.
     */
    static List<ObjectLayout> candidates(ObjectLayout guessed) {
        if (guessed == THIRTY_TWO_BIT) { // by identity: a record's equals is linked at its first call, ~20 ms
            return List.of(THIRTY_TWO_BIT);
        }
        List<ObjectLayout> out = new ArrayList<>();
        out.add(guessed);
        for (int alignment = 8; alignment <= 256; alignment *= 2) {
            for (int oop : new int[] {4, 8}) {
                out.add(new ObjectLayout(12, oop, alignment, 16, 16));  // compressed class pointers
                out.add(new ObjectLayout(16, oop, alignment, 24, 24));  // full class pointers, JDK 8-21
                out.add(new ObjectLayout(16, oop, alignment, 20, 24));  // full class pointers, JDK 22+
                out.add(new ObjectLayout(8, oop, alignment, 12, 16));   // compact object headers, JDK 24+
            }
        }
        return out;
    }

    /**
     * How many times more pairs {@code best} sizes right than it would if the distances were drawn at random from
     * those the dump has: where ids are addresses, a record's distance to the next is its size far more often than
     * chance gives; where they are not, as often.
     */
    private static double lift(ObjectLayout best, long[] fieldBytes, byte[] what, long[] delta, int[] weight, int distinct) {
        Map<Long, Long> distances = new HashMap<>();
        long pairs = 0;
        for (int i = 0; i < distinct; i++) {
            distances.merge(delta[i], (long) weight[i], Long::sum);
            pairs += weight[i];
        }
        double expected = 0;
        long matched = 0;
        for (int i = 0; i < distinct; i++) {
            long size = sizeOf(best, fieldBytes[i], what[i]);
            expected += weight[i] * (double) distances.getOrDefault(size, 0L) / pairs;
            if (size == delta[i]) {
                matched += weight[i];
            }
        }
        return expected == 0 ? Double.MAX_VALUE : matched / expected;
    }

    /**
     * The least {@link #lift} that tells addresses where under a fifth of the pairs match: the dumps of the test
     * program give 2.5-4.1 (JDK 25 ZGC 2.5, Shenandoah 2.9 with compact headers and 4.1 without, G1 3.1; JDK 26's
     * Shenandoah 3.85 where 19% of its pairs match), random ids 0.9-1.22 (3,000 samples).
     */
    static final double MIN_LIFT = 2;

    /** How many of the classes {@code classes} layout {@code l} makes bigger than their instances' distance allows. */
    private static int overlaps(ObjectLayout l, Fields fields, long[] classes, long[] mins) {
        int n = 0;
        for (int i = 0; i < classes.length; i++) {
            long f = fields.of(classes[i]);
            if (f >= 0 && sizeOf(l, f, (byte) 0) > mins[i]) {
                n++;
            }
        }
        return n;
    }

    /** A record's size under layout {@code l}: an instance of {@code f} field bytes, or an array of length f. */
    private static long sizeOf(ObjectLayout l, long f, byte what) {
        if (what == 0) {
            return l.instanceSize((f >>> 32) + (f & 0xFFFF_FFFFL) * (l.oop - 4));
        }
        return what == 1 ? l.objectArraySize(f) : l.primitiveArraySize(f, what - 1);
    }

    /**
     * The candidate that predicts the most sizes of neighbouring objects among the dump's first {@link
     * Sample#CAPACITY} records (the parts' samples in file order: the same records however pass 1 cut the dump,
     * so one thread and several infer the same layout) as the difference of their addresses; {@code guessed} when
     * fewer than 64 pairs match any, or when under a fifth of the pairs match and the best does not match at least
     * {@link #MIN_LIFT} times as many as distances drawn at random from the dump's would ({@link #lift}): the ids are
     * then not addresses of a compacted heap.
     */
    static Inferred infer(List<Sample> parts, Fields fields, ObjectLayout guessed) {
        return infer(parts, fields, guessed, new long[0], new long[0]);
    }

    /**
     * As {@link #infer(List, Fields, ObjectLayout)}, with what pass 1 saw of every instance: for the classes {@code
     * boundClasses}, the smallest distance from any of their instances to the object above it ({@code boundMins},
     * {@link Neighbours}). Objects do not overlap, so no layout that makes an instance bigger than that is the
     * dump's: where some layout keeps every class within its distance, the best of those is taken. The sample may
     * be one structure repeated: under Shenandoah, the first 16,384 records of a dump of 2,000 virtual threads were
     * five records a thread in traversal order, whose distances matched 8-byte headers and references on one record
     * in two and the JVM's layout (12-byte headers, 4-byte references) on one in five; every size came out half
     * again too big, where dozens of classes' instances lay closer together than those sizes allow.
     */
    static Inferred infer(List<Sample> parts, Fields fields, ObjectLayout guessed, long[] boundClasses,
            long[] boundMins) {
        Sample s = new Sample();
        for (Sample p : parts) {
            int k = Math.min(p.count, Sample.CAPACITY - s.count);
            System.arraycopy(p.ids, 0, s.ids, s.count, k);
            System.arraycopy(p.kinds, 0, s.kinds, s.count, k);
            System.arraycopy(p.args, 0, s.args, s.count, k);
            System.arraycopy(p.elementSizes, 0, s.elementSizes, s.count, k);
            s.count += k;
        }
        // the pairs, as what the first object's size depends on and the difference of the addresses
        long[] fieldBytes = new long[s.count]; // instance: bytes << 32 | refs; array: length
        byte[] what = new byte[s.count];       // 0 instance, else array element size + 1 (1: references)
        long[] delta = new long[s.count];
        int n = 0;
        int followed = 0; // records followed by another (class objects aside), and of these, by one above it
        int upward = 0;
        long lastClass = 0; // instances come in runs of one class: its fields looked up once a run
        long lastFields = -1;
        boolean looked = false;
        for (int i = 0; i + 1 < s.count; i++) {
            long d = s.ids[i + 1] - s.ids[i];
            if (s.kinds[i] != Sample.OTHER) {
                followed++;
                if (d > 0 && d <= (1 << 24)) {
                    upward++;
                }
            }
            // the lower of two neighbouring records is sized by the distance to the upper: a walk up the addresses
            // gives the first, JDK 26+'s ZGC, which lists each page's objects downwards, the second (20,501 pairs
            // of 29,672 records, where the upward ones alone, 130 in 16,384, made 16-byte headers win)
            int j = d > 0 ? i : i + 1;
            long size = Math.abs(d);
            if (d == 0 || size > (1 << 24) || s.kinds[j] == Sample.OTHER) {
                continue;
            }
            if (s.kinds[j] == Sample.INSTANCE) {
                if (!looked || s.args[j] != lastClass) {
                    lastClass = s.args[j];
                    lastFields = fields.of(lastClass);
                    looked = true;
                }
                long f = lastFields;
                if (f < 0) {
                    continue;
                }
                fieldBytes[n] = f;
                what[n] = 0;
            } else {
                fieldBytes[n] = s.args[j];
                what[n] = (byte) (s.elementSizes[j] + 1);
            }
            delta[n++] = size;
        }
        // a pair (what its size depends on, the distance) recurs by the thousand in runs of one class: each
        // distinct one is sized once per layout and counted as often as it occurs, instead of 49 layouts times
        // 16,384 pairs (the 142 MB dump: 98 distinct pairs; infer 5-6 ms instead of 10-12, in a fresh JVM)
        int[] weight = new int[n];
        int distinct = 0;
        int[] slots = new int[Integer.highestOneBit(Math.max(1, n)) * 4]; // 1 + the index of a distinct pair, or 0
        int mask = slots.length - 1;
        for (int i = 0; i < n; i++) {
            long h = fieldBytes[i] * 0x9E37_79B9_7F4A_7C15L ^ (delta[i] * 31 + what[i]);
            int slot = (int) (h ^ (h >>> 29)) & mask;
            while (true) {
                int j = slots[slot] - 1;
                if (j < 0) { // the distinct pairs move to the front, below i
                    slots[slot] = distinct + 1;
                    fieldBytes[distinct] = fieldBytes[i];
                    what[distinct] = what[i];
                    delta[distinct] = delta[i];
                    weight[distinct++] = 1;
                    break;
                }
                if (fieldBytes[j] == fieldBytes[i] && what[j] == what[i] && delta[j] == delta[i]) {
                    weight[j]++;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        List<ObjectLayout> all = candidates(guessed); // the guess first
        // where some layout makes no instance bigger than its distance to the object above, only those are taken
        int[] overlaps = new int[all.size()];
        int fewest = Integer.MAX_VALUE;
        for (int c = 0; c < all.size(); c++) {
            overlaps[c] = overlaps(all.get(c), fields, boundClasses, boundMins);
            fewest = Math.min(fewest, overlaps[c]);
        }
        ObjectLayout best = guessed;
        int bestMatched = -1;
        int[] scores = new int[all.size()];
        for (int c = 0; c < all.size(); c++) {
            ObjectLayout l = all.get(c);
            int matched = 0;
            for (int i = 0; i < distinct; i++) {
                if (sizeOf(l, fieldBytes[i], what[i]) == delta[i]) {
                    matched += weight[i];
                }
            }
            scores[c] = matched;
            if (matched > bestMatched && (fewest > 0 || overlaps[c] == 0)) {
                best = l;
                bestMatched = matched;
            }
        }
        // records whose sizes do not depend on the reference size (primitive arrays, Strings, objects whose
        // references fill what would be padding) tie 4- and 8-byte references: the first sample of JDK 27's ZGC
        // dump (compact headers by default) had no other, 14,588 pairs each. The guess's then decides: a heap above
        // 32 GB has 8-byte references but for a heap too big to fit below (ZGC has no other)
        if (best.oop != guessed.oop) {
            for (int c = 0; c < all.size(); c++) {
                ObjectLayout l = all.get(c);
                if (scores[c] == bestMatched && l.oop == guessed.oop && l.header == best.header
                        && l.alignment == best.alignment && (fewest > 0 || overlaps[c] == 0)) {
                    best = l;
                    break;
                }
            }
        }
        // under a fifth of the pairs: a traversal in parallel (JDK 25 and 26's Shenandoah: 19% of the pairs), or ids
        // that are not addresses, where every layout matches about as often as chance gives
        if (bestMatched < 64
                || (bestMatched * 5L < n && lift(best, fieldBytes, what, delta, weight, distinct) < MIN_LIFT)) {
            // the guess, unless it makes instances bigger than their distances allow and another layout does not
            ObjectLayout fallback = fewest == 0 && overlaps[0] > 0 ? best : guessed;
            return new Inferred(fallback, Math.max(0, bestMatched), n, false, false);
        }
        // a walk by address goes up from each object but where it changes regions (>99% of the records in the
        // JDK 17 and 25 dumps of Serial, Parallel and G1); a traversal, half of the time (ZGC, Shenandoah: 43-45%)
        return new Inferred(best, bestMatched, n, true, upward * 4L >= followed * 3L);
    }
}
