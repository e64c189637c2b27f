package io.leakscope.growth;

import io.leakscope.analyze.FindingsBuilder;
import io.leakscope.findings.Growth;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The labelled real scenario suite: each sample agent runs for real (G1, -Xms=-Xmx=256m pre-touched so heap
 * expansion does not show as RSS growth, NMT summary on), watched from outside over JMX: heap after GC
 * polled every 0.5 s, RSS from /proc, and every 10 s a class histogram and an NMT summary (the histogram
 * forces a full collection, as JFR's ObjectCount does). The growth stage then decides on the capture and
 * on its prefixes, for the time to the first LEAK verdict. Two agents run at a time.
 *
 * <pre>RealScenarioBench [seconds]</pre>
 */
public final class RealScenarioBench {
    record Scenario(String name, boolean leak, String culprit, List<String> args) {
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("history", true, "io.leakscope.samples.ConversationHistoryLeak$Message", List.of("--rate", "50")),
            new Scenario("listeners", true, "io.leakscope.samples.ListenerLeak$RetryListener", List.of("--rate", "50")),
            new Scenario("offheap", true, "Other", List.of("--rate", "10")),
            new Scenario("slowleak", true, "[B", List.of("--rate", "50")),
            new Scenario("churn", false, null, List.of("--rate", "50")),
            new Scenario("cache", false, null, List.of("--rate", "50")),
            new Scenario("bursty", false, null, List.of("--rate", "50")),
            new Scenario("warmup", false, null, List.of("--rate", "50")));

    static final List<String> JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
            "-XX:NativeMemoryTracking=summary");

    static final long SETTLE_MS = 30_000;

    record Capture(Scenario scenario, List<Series> series) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 120;
        List<Capture> captures = new ArrayList<>();
        for (int i = 0; i < SCENARIOS.size(); i += 2) {
            List<Scenario> pair = SCENARIOS.subList(i, Math.min(i + 2, SCENARIOS.size()));
            List<Thread> threads = new ArrayList<>();
            List<Capture> got = java.util.Collections.synchronizedList(new ArrayList<>());
            for (Scenario s : pair) {
                Thread t = new Thread(() -> {
                    try {
                        got.add(capture(s, seconds));
                    } catch (Exception e) {
                        System.err.println(s.name() + ": " + e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            captures.addAll(got);
        }
        System.out.printf(Locale.ROOT, "Real scenario suite: %d s per scenario after %d s of settling, JVM %s%n%n", (long) seconds, SETTLE_MS / 1000, String.join(" ", JVM));
        System.out.println("| scenario | truth | verdict | heap after GC | RSS | NMT committed | LEAK from | top of attribution | headline |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Scenario s : SCENARIOS) {
            Capture c = captures.stream().filter(x -> x.scenario() == s).findFirst().orElse(null);
            if (c == null) {
                System.out.println("| " + s.name() + " | failed to run | | | | | | | |");
                continue;
            }
            FindingsBuilder b = analyse(c.series(), Long.MAX_VALUE);
            Verdict v = verdict(b);
            String first = "-";
            long t0 = c.series().stream().mapToLong(x -> x.size() == 0 ? Long.MAX_VALUE : x.timeMs()[0]).min().orElse(0);
            // the first prefix from which every later prefix (and the whole capture) says LEAK
            for (long ms = (long) (seconds * 1000) / 10_000 * 10_000; ms >= 10_000; ms -= 10_000) {
                if (verdict(analyse(c.series(), t0 + ms)) != Verdict.LEAK) {
                    break;
                }
                first = (ms / 1000) + " s";
            }
            if (v != Verdict.LEAK) {
                first = "-";
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", s.name(),
                    s.leak() ? "leak (" + s.culprit() + ")" : "no leak", v, fitText(b, "jvm.heap.after_gc"),
                    fitText(b, "process.rss"), fitText(b, "nmt.total.committed"), first, topText(b, s),
                    b.headline == null ? "" : b.headline.replace("|", "/"));
        }
    }

    static Capture capture(Scenario s, double seconds) throws Exception {
        try (RealAgent a = RealAgent.start(s.name(), JVM, new ArrayList<>(concat(s.args(), List.of("--seconds", "900"))))) {
            Thread.sleep(SETTLE_MS); // leakscope attaches to processes that already run: skip the JVM's own start-up
            long end = System.currentTimeMillis() + (long) (seconds * 1000);
            while (System.currentTimeMillis() < end && a.alive()) {
                a.sampleHistogramAndNmt(25);
                a.watch(Math.min(10, (end - System.currentTimeMillis()) / 1000.0), 500);
            }
            List<Series> out = new ArrayList<>();
            out.add(a.heapAfterGc());
            out.add(a.rss());
            out.addAll(a.parts());
            return new Capture(s, out);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    static FindingsBuilder analyse(List<Series> series, long untilMs) {
        FindingsBuilder b = new FindingsBuilder();
        for (Series s : series) {
            int k = 0;
            while (k < s.size() && s.timeMs()[k] <= untilMs) {
                k++;
            }
            if (k > 0) {
                b.add(new Series(s.id(), s.label(), s.unit(), s.source(), s.role(), s.parent(),
                        Arrays.copyOf(s.timeMs(), k), Arrays.copyOf(s.values(), k)));
            }
        }
        new GrowthStage().apply(b);
        return b;
    }

    static Verdict verdict(FindingsBuilder b) {
        Verdict v = null;
        for (Growth.SignalFit f : b.growth.signals()) {
            if (v == null || f.verdict().severity() > v.severity()) {
                v = f.verdict();
            }
        }
        return v == null ? Verdict.INCONCLUSIVE : v;
    }

    static String fitText(FindingsBuilder b, String id) {
        for (Growth.SignalFit f : b.growth.signals()) {
            if (f.seriesId().equals(id)) {
                return f.verdict() + (f.slopePerMinute() == null ? ""
                        : " " + SignalFitter.amount(f.slopePerMinute(), "bytes") + "/min");
            }
        }
        return "-";
    }

    static String topText(FindingsBuilder b, Scenario s) {
        StringBuilder sb = new StringBuilder();
        for (Growth.Attribution a : b.growth.attribution()) {
            if (a.rank() == 1) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                boolean right = s.culprit() != null && a.label().equals(s.culprit());
                sb.append(a.label()).append(String.format(Locale.ROOT, " %.0f%%", 100 * a.share())).append(right ? " (right)" : "");
            }
        }
        Growth.Attribution app = Explanation.firstApplicationClass(b.growth.attribution(), "jvm.heap.after_gc");
        if (app != null && app.rank() > 1) {
            sb.append("; first application class: ").append(app.label())
                    .append(app.label().equals(s.culprit()) ? " (right)" : "");
        }
        if (s.culprit() != null) {
            for (Growth.Attribution a : b.growth.attribution()) {
                if (a.label().equals(s.culprit()) && a.rank() > 1 && !a.equals(app)) {
                    sb.append("; culprit ranked ").append(a.rank());
                }
            }
        }
        return sb.length() == 0 ? "-" : sb.toString().replace("|", "/");
    }
}
