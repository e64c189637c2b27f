package io.leakscope.growth;

import io.leakscope.findings.Growth;
import io.leakscope.findings.Heap;
import io.leakscope.heap.GrowingPaths;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.io.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the signals together. One signal says whether memory grows; the combination says where: heap
 * after GC growing means retained Java objects, RSS growing under a flat heap means native or off-heap
 * memory, metaspace means class loaders, threads mean thread stacks.
 */
record Explanation(String headline, String text) {
    static final List<String> HEAP_IDS = List.of("jvm.heap.after_gc", "jvm.oldgen.after_gc", "jvm.heap.used", "jvm.oldgen.used");
    /**
     * With too few collections to judge the heap, NMT still tells heap from native: when less than this share of
     * its committed growth is in "Java Heap", the leak is outside the heap.
     */
    static final double NMT_NATIVE_SHARE = 0.25;

    /** The share of NMT's committed growth in the Java Heap category (0 when none is attributed to it). */
    static double nmtHeapShare(List<Growth.Attribution> attribution) {
        double share = 0;
        for (Growth.Attribution a : attribution) {
            if (a.total().equals("nmt.total.committed") && a.part().startsWith("nmt.Java_Heap.")) {
                share += a.share();
            }
        }
        return share;
    }

    static final List<String> PROCESS_IDS = List.of("process.rss", "jvm.rss", "process.anon", "memray.rss",
            "process.pss", "cgroup.usage");

    /**
     * @param growingPath the heap diff's first growing path, or null: it settles heap vs native when the series
     *                    cannot, and ends a leak's headline with the holder and what accumulates under it
     * @param softCache   what only SoftReferences hold in the first and newest dump, where it grew in every interval
     *                    ({@link Heap#softCacheGrowth}), or null: a heap that grows without a growing path may be that
     */
    static Explanation of(List<Growth.SignalFit> fits, List<Growth.Attribution> attribution, Map<String, Series> series,
                          Heap.GrowingPath growingPath, long[] softCache) {
        String path = growingPath == null ? null : GrowingPaths.describe(growingPath);
        boolean pathSaid = false;
        Growth.SignalFit heap = first(fits, HEAP_IDS);
        Growth.SignalFit proc = first(fits, PROCESS_IDS);
        Growth.SignalFit nmt = find(fits, "nmt.total.committed");
        Growth.SignalFit meta = find(fits, "jvm.metaspace.used");
        Growth.SignalFit threads = find(fits, "process.threads");
        Growth.SignalFit pyHeap = find(fits, "memray.heap");
        List<String> headline = new ArrayList<>();
        List<String> text = new ArrayList<>();

        if (leaks(heap)) {
            headline.add("Java heap leak: heap after GC grows " + rate(heap) + top(attribution, heap.seriesId(), series));
            Growth.Attribution app = firstApplicationClass(attribution, heap.seriesId());
            if (app != null && app.rank() > 1) {
                headline.set(headline.size() - 1, headline.get(headline.size() - 1)
                        + String.format(Locale.ROOT, "; of the application's classes, %s (%.0f%%)", partLabel(app, series),
                        100 * app.share()));
            }
            text.add("The Java heap after GC grows by " + rate(heap) + ": objects are kept reachable."
                    + topSentence(attribution, heap.seriesId(), series, "Growing most")
                    + (app != null && app.rank() > 1 ? String.format(Locale.ROOT, " The application class growing most is %s"
                    + " (%.0f%%): JDK classes such as byte[] and String usually hold the memory an application object"
                    + " retains.", partLabel(app, series), 100 * app.share()) : "")
                    + " Take two heap dumps a few minutes apart and compare what they retain.");
            if (growingPath == null && softCache != null) {
                String from = Units.formatBytes(softCache[0]);
                String to = Units.formatBytes(softCache[1]);
                headline.add("no retained path grows between the heap dumps, but what only SoftReferences hold does ("
                        + from + " → " + to + "): a soft cache, which the JVM keeps until its heap runs short");
                text.add("What only SoftReferences hold grew between the heap dumps from " + from + " to " + to
                        + ": the JVM clears such a cache only when its heap runs short, so this growth ends at -Xmx,"
                        + " with full collections, rather than in an OutOfMemoryError.");
            }
            if (leaks(proc) && proc.slopePerMinute() > 0) {
                double share = heap.slopePerMinute() / proc.slopePerMinute();
                text.add(String.format(Locale.ROOT, "%s grows by %s; heap growth accounts for about %.0f%% of it%s.",
                        label(proc), rate(proc), 100 * Math.min(share, 9.99),
                        share < 0.5 ? ", so native or off-heap memory grows too: look at NMT and smaps" : ""));
            }
        } else if ((leaks(proc) || leaks(nmt)) && heap != null && heap.verdict() == Verdict.INCONCLUSIVE
                && !(leaks(nmt) && nmtHeapShare(attribution) < NMT_NATIVE_SHARE)) {
            Growth.SignalFit g = leaks(proc) ? proc : nmt;
            if (path != null) {
                // too few collections for the heap's trend, but the dumps show a path growing in every interval
                headline.add("Java heap leak: " + path + "; " + label(g) + " grows " + rate(g));
                pathSaid = true;
                text.add(label(g) + " grows by " + rate(g) + " and the heap dumps show the Java heap growing in every"
                        + " interval between them: " + path + ". The heap after GC had too few collections to decide ("
                        + heap.reason() + ").");
            } else {
                headline.add("Memory leak: " + label(g) + " grows " + rate(g) + "; heap or native is not decided yet");
                text.add(label(g) + " grows by " + rate(g) + ", but the Java heap after GC could not be decided ("
                        + heap.reason() + "), so this may be the heap or native memory. A JVM's RSS also grows while its heap"
                        + " touches pages for the first time, up to -Xms (-XX:+AlwaysPreTouch removes that);"
                        + " capture longer, until the heap after GC has enough collections."
                        + topSentence(attribution, "nmt.total.committed", series, "Native Memory Tracking puts the growth in"));
            }
        } else if (leaks(proc) || leaks(nmt)) {
            Growth.SignalFit g = leaks(proc) ? proc : nmt;
            String heapState = heap == null ? "" : heap.verdict() == Verdict.STABLE ? " while the Java heap after GC is flat"
                    : heap.verdict() == Verdict.SATURATING ? " while the Java heap after GC levels off"
                    : heap.verdict() == Verdict.INCONCLUSIVE && leaks(nmt) ? String.format(Locale.ROOT,
                    " and NMT puts %.0f%% of its growth outside the Java heap", 100 * (1 - nmtHeapShare(attribution))) : "";
            boolean jvm = heap != null || nmt != null;
            if (jvm) {
                headline.add("Native or off-heap leak: " + label(g) + " grows " + rate(g) + heapState
                        + top(attribution, "nmt.total.committed", series));
                text.add(label(g) + " grows by " + rate(g) + heapState + ": memory outside the Java heap is leaking"
                        + " (direct or mapped buffers, JNI or malloc, thread stacks, metaspace)."
                        + topSentence(attribution, "nmt.total.committed", series, "Native Memory Tracking puts it in")
                        + (nmt != null && !leaks(nmt) && g != nmt ? " NMT's committed total does not grow, so the growth is"
                        + " outside the JVM's own accounting (native libraries, malloc arenas and fragmentation), or"
                        + " a warm-up that a longer capture would show levelling off." : "")
                        + topSentence(attribution, g.seriesId(), series, "Of the resident memory, growing most:")
                        + (nmt == null ? " Run with -XX:NativeMemoryTracking=summary to see which JVM category grows." : "")
                        + " Compare smaps mappings and take a native allocation profile.");
            } else if (leaks(pyHeap)) {
                headline.add("Python heap leak: allocations tracked by Memray grow " + rate(pyHeap)
                        + top(attribution, pyHeap.seriesId(), series));
                text.add(label(g) + " grows by " + rate(g) + " and the heap Memray tracks grows by " + rate(pyHeap) + "."
                        + topSentence(attribution, pyHeap.seriesId(), series, "The allocation stack growing most:"));
            } else {
                headline.add("Memory leak: " + label(g) + " grows " + rate(g) + top(attribution, g.seriesId(), series));
                text.add(label(g) + " grows by " + rate(g) + "." + topSentence(attribution, g.seriesId(), series, "Growing most:")
                        + " Without heap or allocator data the cause cannot be placed; capture the runtime's own view"
                        + " (JFR and NMT for a JVM, Memray for Python).");
            }
        } else if (leaks(pyHeap)) {
            headline.add("Python heap leak: allocations tracked by Memray grow " + rate(pyHeap) + top(attribution, pyHeap.seriesId(), series));
            text.add("The heap Memray tracks grows by " + rate(pyHeap) + "." + topSentence(attribution, pyHeap.seriesId(), series,
                    "The allocation stack growing most:"));
        }
        if (leaks(meta)) {
            headline.add("metaspace grows " + rate(meta));
            text.add("Metaspace grows by " + rate(meta) + ": classes are loaded and never unloaded (generated"
                    + " classes, proxies, or class loaders kept alive).");
        }
        if (leaks(threads)) {
            headline.add("threads grow " + rate(threads));
            text.add("The thread count grows by " + rate(threads) + ": threads are started and never end; each"
                    + " holds a stack.");
        }
        for (Growth.SignalFit f : fits) {
            boolean covered = f == heap || f == proc || f == nmt || f == meta || f == threads || f == pyHeap
                    || HEAP_IDS.contains(f.seriesId()) || PROCESS_IDS.contains(f.seriesId());
            if (!covered && f.verdict() == Verdict.LEAK) {
                headline.add(f.seriesId() + " grows " + rate(f));
                text.add(f.seriesId() + " grows by " + rate(f) + ".");
            }
        }
        if (headline.isEmpty()) {
            List<String> saturating = new ArrayList<>();
            double longest = 0;
            for (Growth.SignalFit f : fits) {
                if (f.verdict() == Verdict.SATURATING) {
                    saturating.add(label(f));
                }
                if (f.verdict() == Verdict.INCONCLUSIVE && f.minCaptureSecs() != null) {
                    longest = Math.max(longest, f.minCaptureSecs());
                }
            }
            if (!saturating.isEmpty()) {
                headline.add("Memory grows but levels off (" + String.join(", ", saturating) + "): a cache or pool filling up");
                text.add(String.join(", ", saturating) + " grow with shrinking increments: a cache, pool or buffer"
                        + " filling towards a ceiling, not a leak. Check that the ceiling fits under the limit.");
            } else if (fits.stream().allMatch(f -> f.verdict() == Verdict.STABLE)) {
                headline.add("No leak: no signal grows beyond its practical threshold");
                text.add("No signal grows significantly by more than its practical threshold (5% of its level a day,"
                        + " at least 1 MiB or one thread an hour).");
            } else if (GrowthStage.primaryAllStable(fits)) {
                List<String> undecided = new ArrayList<>();
                for (Growth.SignalFit f : fits) {
                    if (f.verdict() == Verdict.INCONCLUSIVE) {
                        undecided.add(label(f));
                    }
                }
                headline.add("No leak: heap and resident memory are flat");
                text.add("The heap after GC and the resident memory do not grow beyond their practical thresholds;"
                        + " " + String.join(", ", undecided) + " could not be decided (each says what capture would be"
                        + " enough).");
            } else {
                headline.add("Not enough data to decide" + (longest > 0
                        ? ": capture at least " + Units.formatDuration(longest) : ""));
                text.add("Some signals could not be decided; each says what capture would be enough.");
            }
        }
        if (path != null && !pathSaid && fits.stream().anyMatch(f -> f.verdict() == Verdict.LEAK)) {
            headline.add("growing path: " + path);
        }
        String h = String.join("; ", headline);
        return new Explanation(Character.toUpperCase(h.charAt(0)) + h.substring(1) + ".", String.join(" ", text));
    }

    private static boolean leaks(Growth.SignalFit f) {
        return f != null && f.verdict() == Verdict.LEAK;
    }

    private static Growth.SignalFit find(List<Growth.SignalFit> fits, String id) {
        for (Growth.SignalFit f : fits) {
            if (f.seriesId().equals(id)) {
                return f;
            }
        }
        return null;
    }

    private static Growth.SignalFit first(List<Growth.SignalFit> fits, List<String> ids) {
        for (String id : ids) {
            Growth.SignalFit f = find(fits, id);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String label(Growth.SignalFit f) {
        return switch (f.seriesId()) {
            case "process.rss" -> "RSS";
            case "process.anon" -> "anonymous memory";
            case "process.pss" -> "PSS";
            case "memray.rss" -> "RSS (Memray)";
            case "jvm.rss" -> "RSS (JFR)";
            case "cgroup.usage" -> "cgroup memory usage";
            case "nmt.total.committed" -> "NMT committed memory";
            default -> f.seriesId();
        };
    }

    private static String rate(Growth.SignalFit f) {
        return SignalFitter.amount(f.slopePerMinute(), f.unit()) + "/min";
    }

    /** The top-ranked growing class part that is not a JDK class or an array. */
    static Growth.Attribution firstApplicationClass(List<Growth.Attribution> attribution, String total) {
        for (Growth.Attribution a : attribution) {
            if (a.total().equals(total) && a.rank() > 0 && a.slopePerMinute() > 0 && a.part().startsWith("class.")
                    && isApplicationClass(a.label())) {
                return a;
            }
        }
        return null;
    }

    static boolean isApplicationClass(String name) {
        return !(name.startsWith("[") || name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun."));
    }

    private static Growth.Attribution rankOne(List<Growth.Attribution> attribution, String total) {
        for (Growth.Attribution a : attribution) {
            if (a.total().equals(total) && a.rank() == 1 && a.slopePerMinute() > 0) {
                return a;
            }
        }
        return null;
    }

    private static String partLabel(Growth.Attribution a, Map<String, Series> series) {
        Series s = series.get(a.part());
        return s != null && s.label() != null ? s.label() : a.label();
    }

    private static String top(List<Growth.Attribution> attribution, String total, Map<String, Series> series) {
        Growth.Attribution a = rankOne(attribution, total);
        return a == null ? "" : String.format(Locale.ROOT, "; %s grows most (%.0f%%)", partLabel(a, series), 100 * a.share());
    }

    private static String topSentence(List<Growth.Attribution> attribution, String total, Map<String, Series> series,
                                      String lead) {
        Growth.Attribution a = rankOne(attribution, total);
        return a == null ? "" : String.format(Locale.ROOT, " %s %s (%.0f%% of the growth).", lead, partLabel(a, series),
                100 * a.share());
    }
}
