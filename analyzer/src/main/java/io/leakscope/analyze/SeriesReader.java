package io.leakscope.analyze;

import io.leakscope.bundle.Artifact;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.findings.Series;

import java.io.IOException;
import java.nio.file.Path;

/** Reads series/*.csv files; the source is the artifact's "source" attribute, else the file's name. */
final class SeriesReader implements InputReader {
    @Override
    public void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException {
        String name = file.getFileName().toString();
        String source = artifact != null && artifact.attributes().containsKey("source")
                ? artifact.attributes().get("source")
                : name.replaceFirst("\\.csv$", "");
        for (Series s : SeriesCsv.read(file, source)) {
            out.add(s);
        }
    }
}
