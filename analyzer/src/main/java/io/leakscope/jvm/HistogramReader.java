package io.leakscope.jvm;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.analyze.InputReader;
import io.leakscope.bundle.Artifact;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class histogram → one point of {@code class.<name>.bytes} and {@code .count} for its largest classes
 * (parts of {@code jvm.heap.after_gc}: a histogram counts live objects after a full GC), and of
 * {@code jvm.heap.after_gc} itself when no JFR gave that series. Histograms of one capture merge by time.
 */
public final class HistogramReader implements InputReader {
    /** Classes kept per histogram; a leaking class grows into them. */
    static final int TOP_CLASSES = 200;

    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        HistogramText.Histogram h = HistogramText.parse(Files.readString(file, StandardCharsets.ISO_8859_1));
        if (h == null) {
            throw new InputException(file + ": no class histogram rows ('1: instances bytes class'); truncated?");
        }
        long t = artifact != null && artifact.attributes().containsKey("timeMs")
                ? Long.parseLong(artifact.attributes().get("timeMs"))
                : Files.getLastModifiedTime(file).toMillis();
        int n = Math.min(TOP_CLASSES, h.rows().size());
        for (int i = 0; i < n; i++) {
            HistogramText.Row r = h.rows().get(i);
            SeriesMerge.point(out, "class." + r.className() + ".bytes", r.className() + " (bytes)", "bytes",
                    "histogram", "part", "jvm.heap.after_gc", t, r.bytes());
            SeriesMerge.point(out, "class." + r.className() + ".count", r.className() + " (instances)", "count",
                    "histogram", "context", null, t, r.instances());
        }
        var heap = out.series.get("jvm.heap.after_gc");
        if (heap == null || "histogram".equals(heap.source())) {
            SeriesMerge.point(out, "jvm.heap.after_gc", "Java heap after GC", "bytes", "histogram", "total", null, t,
                    h.totalBytes());
        }
    }
}
