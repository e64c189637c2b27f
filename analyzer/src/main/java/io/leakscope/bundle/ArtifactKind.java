package io.leakscope.bundle;

/**
 * The kinds of artifact a bundle holds, and the folder each lives in. Kinds are strings in the manifest so
 * that an older reader can skip a kind it does not know.
 */
public final class ArtifactKind {
    /** Sampled time series, CSV (see {@link SeriesCsv}); folder series/. */
    public static final String SERIES = "series";
    /** A JFR recording of the target (our own leak-oriented recording); folder jfr/. */
    public static final String JFR = "jfr";
    /** One NMT text output (VM.native_memory summary or summary.diff), timestamped; folder nmt/. */
    public static final String NMT = "nmt";
    /** A class histogram (GC.class_histogram text); folder heap/. */
    public static final String HISTOGRAM = "histogram";
    /** A heap dump, HPROF (optionally gzip-compressed); folder heap/. */
    public static final String HPROF = "hprof";
    /** async-profiler nativemem/alloc recording (JFR format); folder native/. */
    public static final String NATIVE_JFR = "native-jfr";
    /** A flame graph rendered during the capture (HTML, or collapsed stacks); folder native/. */
    public static final String FLAMEGRAPH = "flamegraph";
    /** A full /proc/PID/smaps snapshot; folder series/smaps/. */
    public static final String SMAPS = "smaps";
    /** A file imported as is (Memray output, a user's smaps capture); folder imports/. */
    public static final String IMPORT = "import";
    /** Text logs of the capture (agent logs); folder native/ or the bundle root. */
    public static final String LOG = "log";

    public static final java.util.List<String> FOLDERS = java.util.List.of("series", "jfr", "heap", "nmt", "native",
            "imports");

    private ArtifactKind() {
    }
}
