package io.leakscope.findings;

import java.util.List;

/**
 * What we know of a JVM target.
 *
 * @param vendor       java.vm.vendor
 * @param version      java.version / java.vm.version
 * @param vmName       java.vm.name
 * @param flags        the command-line flags (VM.flags / input arguments)
 * @param maxHeapBytes MaxHeapSize in force
 * @param nmtMode      off, summary or detail
 */
public record JvmInfo(String vendor, String version, String vmName, List<String> flags, Long maxHeapBytes,
                      String nmtMode) {
    public JvmInfo {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
