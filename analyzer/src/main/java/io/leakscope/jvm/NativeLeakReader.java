package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Note;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An async-profiler nativemem recording (bundle kind native-jfr) → {@link NativeMemory#leakSites()}, and
 * the leak flame graph the capture wrote beside it. Its path in the findings is relative to the bundle's
 * parent directory, which is where {@code leakscope attach} writes findings.json.
 */
public final class NativeLeakReader implements InputReader {
    static final int TOP_SITES = 20;

    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        if (artifact != null && "off".equals(artifact.attributes().get("nativemem"))) {
            return; // a live-objects-only recording (--alloc): its flame graph is the result
        }
        double tail = NativeLeaks.DEFAULT_TAIL;
        if (artifact != null && artifact.attributes().containsKey("tail")) {
            tail = Double.parseDouble(artifact.attributes().get("tail"));
        }
        List<NativeMemory.LeakSite> sites = NativeLeaks.leakSites(file, tail, TOP_SITES);
        String flame = null;
        if (artifact != null && artifact.attributes().containsKey("flameGraph")) {
            Path bundleDir = file.getParent().getParent();
            Path html = bundleDir.resolve(artifact.attributes().get("flameGraph"));
            if (Files.isRegularFile(html)) {
                Path base = bundleDir.toAbsolutePath().getParent();
                flame = base == null ? html.toString() : base.relativize(html.toAbsolutePath()).toString();
            }
        }
        if (sites.isEmpty()) {
            out.note(Note.info(file.toString(), "no native allocations left unfreed in the recording"
                    + " (outside its last " + Math.round(tail * 100) + "%)"));
        }
        NativeMemory n = out.nativeMemory;
        out.nativeMemory = new NativeMemory(n.nmtMode(), n.nmtAdvice(), sites, flame != null ? flame : n.flameGraph());
    }
}
