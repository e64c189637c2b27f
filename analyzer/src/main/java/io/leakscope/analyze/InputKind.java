package io.leakscope.analyze;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.bundle.Bundle;
import io.leakscope.bundle.SeriesCsv;
import io.leakscope.io.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises an input by its content (magic bytes, first lines), not by its name. */
public final class InputKind {
    public static final String BUNDLE = "bundle";
    public static final String FINDINGS = "findings";
    public static final String HPROF = ArtifactKind.HPROF;
    public static final String JFR = ArtifactKind.JFR;
    public static final String NMT = ArtifactKind.NMT;
    public static final String SERIES = ArtifactKind.SERIES;
    public static final String HISTOGRAM = ArtifactKind.HISTOGRAM;
    public static final String SMAPS_DIR = "smaps-capture";
    public static final String SMAPS_TAR = "smaps-capture-tar";
    public static final String MEMRAY_CSV = "memray-csv";
    public static final String MEMRAY_JSON = "memray-json";
    public static final String MEMRAY_BIN = "memray-bin";
    public static final String MEMRAY_HTML = "memray-html";

    private InputKind() {
    }

    public static String detect(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            if (Bundle.isBundle(p) || p.getFileName().toString().endsWith(".leakscope")
                    || p.getFileName().toString().endsWith(".leakscope.partial")) {
                return BUNDLE;
            }
            return SMAPS_DIR;
        }
        if (!Files.exists(p)) {
            throw new InputException(p + ": no such file or directory");
        }
        if (!Files.isReadable(p)) {
            throw new InputException(p + ": permission denied");
        }
        long size = Files.size(p);
        if (size == 0) {
            throw new InputException(p + ": empty file");
        }
        byte[] head = new byte[(int) Math.min(size, 8192)];
        try (InputStream in = Files.newInputStream(p)) {
            in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("JAVA PROFILE 1.0.")) {
            return HPROF;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            // gzip: HotSpot's -gz heap dumps, or a compressed report; the HPROF reader checks dumps further
            String head512 = gunzippedHead(p);
            if (isTar(head512)) {
                return SMAPS_TAR;
            }
            String inner = head512.stripLeading();
            if (inner.regionMatches(true, 0, "<!doctype html", 0, 14) || inner.startsWith("<html")) {
                return MEMRAY_HTML;
            }
            return HPROF;
        }
        if (isTar(text)) {
            return SMAPS_TAR; // the only tar leakscope reads: a smaps capture directory, packed
        }
        if (text.startsWith("FLR\0")) {
            return JFR;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x04 && (head[1] & 0xff) == 0x22 && (head[2] & 0xff) == 0x4d
                && (head[3] & 0xff) == 0x18) {
            return MEMRAY_BIN; // LZ4 frame: memray's default capture compression
        }
        if (text.startsWith("memray")) {
            return MEMRAY_BIN;
        }
        if (text.startsWith(SeriesCsv.MAGIC)) {
            return SERIES;
        }
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            if (text.contains("\"leakscope.findings\"")) {
                return FINDINGS;
            }
            if (text.contains("total_num_allocations") || text.contains("\"metadata\"")) {
                return MEMRAY_JSON;
            }
        }
        if (trimmed.startsWith("allocator,num_allocations,size")) {
            return MEMRAY_CSV;
        }
        if (text.contains("Native Memory Tracking:")) {
            return NMT;
        }
        if (text.contains("num     #instances         #bytes  class name")) {
            return HISTOGRAM;
        }
        if (trimmed.regionMatches(true, 0, "<!doctype html", 0, 14) || trimmed.startsWith("<html")) {
            return MEMRAY_HTML; // the reader checks for memray's embedded data
        }
        // heap dumps and diagnostics of other JVMs, which a user may well take for an HPROF: said what they are
        if (text.startsWith("portable heap dump", 2)) {
            throw new InputException(p + ": an OpenJ9/IBM portable heap dump (PHD), not HPROF: leakscope reads"
                    + " HotSpot's HPROF dumps (Eclipse MAT with IBM's DTFJ reads PHD)");
        }
        if (text.startsWith("0SECTION") || text.contains("\n0SECTION")) {
            throw new InputException(p + ": an OpenJ9/IBM javacore (threads and memory summary), not a heap dump");
        }
        throw new InputException(p + ": not a recognised input (expected a bundle directory, .hprof, .jfr, NMT text,"
                + " a smaps capture directory or tar, Memray output or findings.json)");
    }

    /** POSIX and GNU tar headers carry "ustar" at offset 257. */
    private static boolean isTar(String head) {
        return head.length() >= 262 && head.startsWith("ustar", 257);
    }

    private static String gunzippedHead(Path p) {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readNBytes(512), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // a damaged gzip: let the HPROF reader name the problem
        }
    }
}
