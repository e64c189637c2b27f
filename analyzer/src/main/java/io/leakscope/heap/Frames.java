package io.leakscope.heap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The threads' stacks as a dump lists them (HotSpot writes a STACK TRACE record a thread, its STACK FRAME records
 * and a LOAD CLASS record a class), so that a Java frame root can say which method it is a local variable of:
 * "Hold.main(Hold.java:16)". Only the dump's symbols (class, method and source file names) are used, never a
 * string's contents. Frames and traces are few (a frame a method on some thread's stack): no primitive tables.
 */
final class Frames {
    /** More frames than any thread dump holds; past it a broken dump's records are not kept. */
    private static final int MAX_FRAMES = 1 << 22;

    private final LongIntMap byId = new LongIntMap(256);
    private long[] method = new long[64];
    private long[] source = new long[64];
    private int[] classSerial = new int[64];
    private int[] line = new int[64];
    private int count;
    private long tracedFrames;
    private final Map<Integer, long[]> traceOfThread = new HashMap<>();
    private final Map<Integer, Long> classNameOfSerial = new HashMap<>();

    void classSerial(int serial, long nameId) {
        classNameOfSerial.put(serial, nameId);
    }

    void frame(long id, long methodNameId, long signatureId, long sourceFileId, int classSerial, int line) {
        if (count == MAX_FRAMES || byId.get(id) >= 0) {
            return;
        }
        if (count == method.length) {
            method = Arrays.copyOf(method, count * 2);
            source = Arrays.copyOf(source, count * 2);
            this.classSerial = Arrays.copyOf(this.classSerial, count * 2);
            this.line = Arrays.copyOf(this.line, count * 2);
        }
        method[count] = methodNameId;
        source[count] = sourceFileId;
        this.classSerial[count] = classSerial;
        this.line[count] = line;
        byId.put(id, count++);
    }

    /** A thread's stack, top frame first; the first trace given for a thread is kept. */
    void trace(int threadSerial, long[] frameIds) {
        if (tracedFrames + frameIds.length <= MAX_FRAMES) {
            tracedFrames += frameIds.length;
            traceOfThread.putIfAbsent(threadSerial, frameIds);
        }
    }

    /**
     * The method of frame {@code depth} (0 the top) on thread {@code threadSerial}'s stack, as a Java stack trace
     * prints it ("pkg.Class.method(File.java:12)"), or null when the dump does not say; {@code names} gives a
     * symbol's text, or null.
     */
    String describe(int threadSerial, int depth, LongFunction<String> names) {
        long[] trace = traceOfThread.get(threadSerial);
        if (trace == null || depth < 0 || depth >= trace.length) {
            return null;
        }
        int f = byId.get(trace[depth]);
        if (f < 0) {
            return null;
        }
        String methodName = names.apply(method[f]);
        Long classNameId = classNameOfSerial.get(classSerial[f]);
        String className = classNameId == null ? null : names.apply(classNameId);
        if (methodName == null || className == null) {
            return null;
        }
        String file = names.apply(source[f]);
        int l = line[f];
        // as a Java stack trace prints a frame (HPROF: -1 no line, -2 compiled, -3 native). A StringBuilder, not
        // `+`: the parse's first concatenations of these shapes would link their call sites, 10-20 ms in a fresh JVM
        StringBuilder b = new StringBuilder(HprofReader.javaName(className)).append('.').append(methodName).append('(');
        if (l == -3) {
            b.append("Native Method");
        } else if (file == null) {
            b.append("Unknown Source");
        } else {
            b.append(file);
            if (l > 0) {
                b.append(':').append(l);
            }
        }
        return b.append(')').toString();
    }
}
