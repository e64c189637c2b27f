package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.Stage;
import io.leakscope.findings.NativeMemory;

/**
 * For a JVM captured without NMT: says so in the native section, with the flag that turns it on, because
 * without NMT the JVM's native growth cannot be split into categories.
 */
public final class NativeMemoryStage implements Stage {
    public static final String NMT_FLAG = "-XX:NativeMemoryTracking=summary";

    @Override
    public void apply(FindingsBuilder b) {
        if (b.target == null || b.target.jvm() == null) {
            return;
        }
        String mode = b.target.jvm().nmtMode();
        NativeMemory n = b.nativeMemory;
        if (mode == null || mode.equals("off")) {
            b.nativeMemory = new NativeMemory(n.nmtMode() != null ? n.nmtMode() : "off",
                    n.nmtMode() != null ? n.nmtAdvice() : "Native Memory Tracking was off: restart the JVM with "
                            + NMT_FLAG + " (about 1-2% overhead) to see its native memory by category",
                    n.leakSites(), n.flameGraph());
        } else if (n.nmtMode() == null) {
            b.nativeMemory = new NativeMemory(mode, n.nmtAdvice(), n.leakSites(), n.flameGraph());
        }
    }
}
