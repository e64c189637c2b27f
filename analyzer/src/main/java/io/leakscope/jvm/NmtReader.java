package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.findings.NativeMemory;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One NMT text (a bundle's nmt/ snapshots, or a file the user saved from jcmd) → one point of
 * {@code nmt.total.committed} and of every {@code nmt.<Category>.committed} / {@code .reserved}. Snapshots
 * are merged into the series by time: the bundle gives the time as the artifact's {@code timeMs}; a loose
 * file is placed at its modification time.
 */
public final class NmtReader implements InputReader {
    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        NmtText.Snapshot s = NmtText.parse(text);
        if (s == null) {
            if (NmtText.notEnabled(text)) {
                throw new InputException(file + ": NMT was not enabled in that JVM (no figures)");
            }
            throw new InputException(file + ": no 'Total: reserved=..., committed=...' line; truncated NMT output?");
        }
        long t = artifact != null && artifact.attributes().containsKey("timeMs")
                ? Long.parseLong(artifact.attributes().get("timeMs"))
                : Files.getLastModifiedTime(file).toMillis();
        SeriesMerge.point(out, "nmt.total.committed", "NMT committed (total)", "bytes", "nmt", "total", null, t,
                s.total().committed());
        SeriesMerge.point(out, "nmt.total.reserved", "NMT reserved (total)", "bytes", "nmt", "context", null, t,
                s.total().reserved());
        for (Map.Entry<String, NmtText.Amount> e : s.categories().entrySet()) {
            String id = "nmt." + NmtText.seriesName(e.getKey());
            SeriesMerge.point(out, id + ".committed", "NMT " + e.getKey() + " committed", "bytes", "nmt", "part",
                    "nmt.total.committed", t, e.getValue().committed());
            SeriesMerge.point(out, id + ".reserved", "NMT " + e.getKey() + " reserved", "bytes", "nmt", "context",
                    null, t, e.getValue().reserved());
        }
        if (out.nativeMemory.nmtMode() == null) {
            String mode = text.contains("(malloc=") && text.contains("[0x") ? "detail" : "summary";
            NativeMemory n = out.nativeMemory;
            out.nativeMemory = new NativeMemory(mode, n.nmtAdvice(), n.leakSites(), n.flameGraph());
        }
    }
}
