package io.leakscope.analyze;

import io.leakscope.bundle.Artifact;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns one input file (given alone or found in a bundle) into series, sections and notes of the findings.
 * One implementation per kind of input; {@link Analyzer} picks it by {@link InputKind}.
 */
public interface InputReader {
    /**
     * @param file     the file to read
     * @param artifact its manifest entry when it comes from a bundle, else null
     * @param out      where to add what was read
     */
    void read(Path file, Artifact artifact, FindingsBuilder out) throws IOException;
}
