package io.leakscope.collect.jvm;

import io.leakscope.bundle.BundleWriter;
import io.leakscope.collect.Collector;
import io.leakscope.findings.JvmInfo;
import io.leakscope.findings.Note;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a JVM target adds to a capture: its description ({@link JvmInfo}) and the JVM collectors, in the
 * order they start (the session first, so it is stopped last).
 */
public record JvmCapture(JvmInfo info, List<Collector> collectors) {
    /** Histograms besides start and end: never by default (each is a full GC). */
    static final int HISTOGRAM_EVERY = 0;

    /** Reads the JVM's description over an open connection. */
    public static JvmInfo describe(JvmConnection jvm) throws IOException {
        Properties p = jvm.systemProperties();
        List<String> flags = jvm.flags();
        Long maxHeap = null;
        String nmt = "off";
        for (String f : flags) {
            if (f.startsWith("-XX:MaxHeapSize=")) {
                maxHeap = Long.parseLong(f.substring("-XX:MaxHeapSize=".length()));
            } else if (f.startsWith("-XX:NativeMemoryTracking=")) {
                nmt = f.substring("-XX:NativeMemoryTracking=".length());
            }
        }
        String version = p.getProperty("java.runtime.version", p.getProperty("java.version"));
        return new JvmInfo(p.getProperty("java.vm.vendor"), version, p.getProperty("java.vm.name"), flags, maxHeap, nmt);
    }

    /**
     * Sets up the JVM side of a capture over {@code jvm}, whose ownership passes to the returned session
     * collector. What is not available is noted in the bundle.
     */
    public static JvmCapture prepare(JvmConnection jvm, BundleWriter bundle, int heapDumps, boolean compressDumps,
                                     boolean nativeMem, boolean alloc) throws IOException {
        JvmInfo info;
        JvmSession session;
        try {
            info = describe(jvm);
            session = JvmSession.create(jvm, bundle);
        } catch (IOException | RuntimeException e) {
            jvm.close();
            throw e;
        }
        List<Collector> c = new ArrayList<>();
        c.add(session);
        c.add(new JfrCollector(session));
        if (info.nmtMode().equals("off")) {
            bundle.note(Note.info("nmt", "Native Memory Tracking is off in the target: no NMT series. Restart it with"
                    + " -XX:NativeMemoryTracking=summary to see native memory by category."));
        } else {
            c.add(new NmtCollector(session));
        }
        c.add(new HeapCollector(session, heapDumps, compressDumps, HISTOGRAM_EVERY));
        if (nativeMem || alloc) {
            c.add(new NativeCollector(session, nativeMem, alloc));
        }
        return new JvmCapture(info, c);
    }
}
