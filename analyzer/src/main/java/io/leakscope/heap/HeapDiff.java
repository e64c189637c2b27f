package io.leakscope.heap;

import io.leakscope.findings.Heap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dominator-tree diff across 2..N dumps of one process. Subtrees are matched by signature (see
 * {@link HeapAnalysis.SigTable}); a signature grows when its retained bytes and retained objects rise in
 * every interval, by at least {@link #MIN_GROWTH_BYTES} or {@link #MIN_GROWTH_SHARE} of the heap overall.
 * Growth that is not repeated in every interval (a cache filling once, churn), or that slows to under a quarter
 * of its earlier pace in the last interval (a cache reaching its bound), is not reported. Of a growing
 * chain only the top-most growing node is a finding; it is then followed down through single growing
 * containers that carry most of its growth, to the point where the objects accumulate.
 */
public final class HeapDiff {
    static final long MIN_GROWTH_BYTES = 64 * 1024;
    static final double MIN_GROWTH_SHARE = 0.002;
    static final double CARRIES = 0.7;
    /** A child with at least this share of its holder's growth is a finding of its own when growth splits. */
    static final double SPLIT = 0.2;
    /** A path whose last interval grew less than this share as fast as the earlier ones is levelling off. */
    static final double LEVELLING = 0.25;

    private HeapDiff() {
    }

    /**
     * One dump as the diff needs it; {@code analysis} only for the newest (it names paths); {@code programClasses}
     * the names of its classes that are not the JDK's (see {@link #programClasses}).
     */
    public record Dump(String path, Long timestampMs, long reachableBytes, HeapAnalysis.SigTable sigs,
                       HeapAnalysis analysis, Set<String> programClasses) {
        Dump withoutAnalysis() {
            return new Dump(path, timestampMs, reachableBytes, sigs, null, programClasses);
        }
    }

    private static final String[] PLATFORM = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.",
            "org.ietf.", "org.jcp."};

    /**
     * The dump's classes that are not the JDK's: a program's own and its libraries', which later dumps of one
     * process keep (classes are seldom unloaded) and another program's mostly lack. Arrays and classes the JVM
     * names per run (lambdas' and other hidden classes, proxies) are left out.
     */
    static Set<String> programClasses(HeapGraph g) {
        Set<String> names = new HashSet<>();
        next:
        for (HeapGraph.ClassInfo c : g.classes) {
            String n = c.name;
            if (n.endsWith("]") || n.startsWith("<") || n.contains("/0x") || n.contains("$$") || n.contains("$Proxy")) {
                continue;
            }
            for (String p : PLATFORM) {
                if (n.startsWith(p)) {
                    continue next;
                }
            }
            names.add(n);
        }
        return names;
    }

    /**
     * A note when two dumps next to each other in time share under half the program classes of the one with
     * fewer (at least {@link #FEW_CLASSES} of them): they look like dumps of two programs, whose diff means
     * nothing; else null.
     */
    static String differentPrograms(Dump a, Dump b) {
        Set<String> small = a.programClasses().size() <= b.programClasses().size() ? a.programClasses() : b.programClasses();
        Set<String> big = small == a.programClasses() ? b.programClasses() : a.programClasses();
        if (small.size() < FEW_CLASSES) {
            return null;
        }
        int shared = 0;
        for (String n : small) {
            if (big.contains(n)) {
                shared++;
            }
        }
        if (2 * shared >= small.size()) {
            return null;
        }
        return a.path() + " and " + b.path() + " share " + shared + " of their classes outside the JDK ("
                + a.programClasses().size() + " and " + b.programClasses().size() + "): they look like dumps of"
                + " different programs, and a diff compares dumps of one process taken over time";
    }

    static final int FEW_CLASSES = 5;

    /** @param dumps in time order, the last one with its analysis */
    public static List<Heap.GrowingPath> growing(List<Dump> dumps) {
        int k = dumps.size();
        if (k < 2) {
            return List.of();
        }
        Dump last = dumps.get(k - 1);
        HeapAnalysis.SigTable lt = last.sigs();
        long minGrowth = Math.max(MIN_GROWTH_BYTES, (long) (MIN_GROWTH_SHARE * last.reachableBytes()));
        // slots of each signature in every dump; growing ones flagged
        Map<Long, int[]> growing = new HashMap<>();
        for (int s = 0; s < lt.size; s++) {
            long sig = lt.sig[s];
            int[] slots = new int[k];
            boolean ok = true;
            for (int i = 0; i < k && ok; i++) {
                slots[i] = dumps.get(i).sigs().slot(sig);
                ok = slots[i] >= 0;
            }
            for (int i = 1; i < k && ok; i++) {
                HeapAnalysis.SigTable a = dumps.get(i - 1).sigs();
                HeapAnalysis.SigTable b = dumps.get(i).sigs();
                ok = b.bytes[slots[i]] > a.bytes[slots[i - 1]] && b.objects[slots[i]] > a.objects[slots[i - 1]];
            }
            if (ok && lt.bytes[s] - dumps.get(0).sigs().bytes[slots[0]] >= minGrowth && !levelsOff(dumps, slots)) {
                growing.put(sig, slots);
            }
        }
        Map<Long, List<Integer>> childrenOf = new HashMap<>();
        for (int s = 0; s < lt.size; s++) {
            childrenOf.computeIfAbsent(lt.parent[s], x -> new ArrayList<>()).add(s);
        }
        List<Heap.GrowingPath> out = new ArrayList<>();
        java.util.ArrayDeque<Long> work = new java.util.ArrayDeque<>();
        for (Map.Entry<Long, int[]> e : growing.entrySet()) {
            if (!growing.containsKey(lt.parent[e.getValue()[k - 1]])) {
                work.add(e.getKey()); // only the top-most growing node of a chain starts a finding
            }
        }
        while (!work.isEmpty()) {
            long sig = work.poll();
            for (int depth = 0; depth < 1000; depth++) {
                // the single growing containers under it, biggest growth first
                long g = growth(dumps, growing.get(sig));
                List<long[]> parts = new ArrayList<>();
                for (int c : childrenOf.getOrDefault(sig, List.of())) {
                    int[] cs = growing.get(lt.sig[c]);
                    if (cs != null && lt.nodes[c] == 1) {
                        parts.add(new long[]{lt.sig[c], growth(dumps, cs)});
                    }
                }
                parts.sort(Comparator.comparingLong(p -> -p[1]));
                if (!parts.isEmpty() && parts.get(0)[1] >= CARRIES * g) {
                    sig = parts.get(0)[0]; // one child carries the growth: follow it
                    continue;
                }
                long big = 0;
                List<Long> split = new ArrayList<>();
                for (long[] p : parts) {
                    if (p[1] >= SPLIT * g) {
                        split.add(p[0]);
                        big += p[1];
                    }
                }
                if (split.size() > 1 && big >= CARRIES * g) {
                    work.addAll(split); // independent growths under one holder: one finding each
                    sig = 0;
                }
                break;
            }
            if (sig != 0) {
                out.add(report(dumps, sig, growing.get(sig), childrenOf));
            }
        }
        out.sort(Comparator.comparingDouble(gp -> -gp.bytesPerDump()));
        return out;
    }

    /**
     * With three dumps or more: the last interval grew less than {@link #LEVELLING} as fast as the ones before
     * (per minute when the dumps have times, else per dump). A cache filling up to its bound grows in every
     * interval too — by less and less; a leak does not slow down like that.
     */
    static boolean levelsOff(List<Dump> dumps, int[] slots) {
        int k = dumps.size();
        if (k < 3) {
            return false;
        }
        boolean timed = dumps.stream().allMatch(d -> d.timestampMs() != null);
        double earlierBytes = dumps.get(k - 2).sigs().bytes[slots[k - 2]] - dumps.get(0).sigs().bytes[slots[0]];
        double lastBytes = dumps.get(k - 1).sigs().bytes[slots[k - 1]] - dumps.get(k - 2).sigs().bytes[slots[k - 2]];
        double earlierSpan = timed ? dumps.get(k - 2).timestampMs() - dumps.get(0).timestampMs() : k - 2;
        double lastSpan = timed ? dumps.get(k - 1).timestampMs() - dumps.get(k - 2).timestampMs() : 1;
        if (earlierSpan <= 0 || lastSpan <= 0) {
            return false;
        }
        return lastBytes / lastSpan < LEVELLING * (earlierBytes / earlierSpan);
    }

    private static long growth(List<Dump> dumps, int[] slots) {
        int k = dumps.size();
        return dumps.get(k - 1).sigs().bytes[slots[k - 1]] - dumps.get(0).sigs().bytes[slots[0]];
    }

    private static Heap.GrowingPath report(List<Dump> dumps, long sig, int[] slots, Map<Long, List<Integer>> childrenOf) {
        int k = dumps.size();
        Dump last = dumps.get(k - 1);
        HeapAnalysis a = last.analysis();
        HeapAnalysis.SigTable lt = last.sigs();
        int s = slots[k - 1];
        int p = lt.repr[s];
        int acc = lt.nodes[s] == 1 ? a.accumulationPoint(p) : p;
        List<Long> bytes = new ArrayList<>();
        List<Long> objects = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            bytes.add(dumps.get(i).sigs().bytes[slots[i]]);
            objects.add(dumps.get(i).sigs().objects[slots[i]]);
        }
        double perDump = (bytes.get(k - 1) - bytes.get(0)) / (double) (k - 1);
        double objectsPerDump = (objects.get(k - 1) - objects.get(0)) / (double) (k - 1);
        Double perMinute = null;
        Long t0 = dumps.get(0).timestampMs();
        Long t1 = last.timestampMs();
        if (t0 != null && t1 != null && t1 > t0) {
            perMinute = (bytes.get(k - 1) - bytes.get(0)) * 60_000.0 / (t1 - t0);
        }
        // accumulated classes: the signatures right under the reported one, per dump
        Map<String, long[][]> byClass = new LinkedHashMap<>();
        for (int c : childrenOf.getOrDefault(sig, List.of())) {
            long childSig = lt.sig[c];
            long[][] row = byClass.computeIfAbsent(lt.className[c], x -> new long[2][k]);
            for (int i = 0; i < k; i++) {
                HeapAnalysis.SigTable t = dumps.get(i).sigs();
                int cs = t.slot(childSig);
                if (cs >= 0) {
                    row[0][i] += t.nodes[cs];
                    row[1][i] += t.bytes[cs];
                }
            }
        }
        List<Heap.Accumulated> accumulated = byClass.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[][]> e) -> -e.getValue()[1][k - 1]))
                .limit(10)
                .map(e -> new Heap.Accumulated(e.getKey(), toList(e.getValue()[0]), toList(e.getValue()[1])))
                .toList();
        return new Heap.GrowingPath(a.signatureText(p), a.pathTo(a.d.vertex.get(acc)), a.describe(acc), bytes, objects,
                perDump, perMinute, objectsPerDump, accumulated);
    }

    private static List<Long> toList(long[] v) {
        List<Long> l = new ArrayList<>(v.length);
        for (long x : v) {
            l.add(x);
        }
        return l;
    }
}
