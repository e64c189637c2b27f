package io.leakscope.growth;

import io.leakscope.findings.Verdict;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static io.leakscope.growth.Synthetic.MB;

/**
 * Detection quality on labelled synthetic series (Monte-Carlo), leakscope's growth fit side by side with
 * a plain OLS-on-raw-heap rule and a JMC-style rule. Run by scripts/bench-growth.sh; results go to
 * docs/benchmarks.md, "Growth detection quality".
 *
 * <pre>GrowthBench [seriesPerFamily] [seed]</pre>
 */
public final class GrowthBench {
    static final double MINUTES = 60;
    static final double[] CHECKPOINTS = {10, 30, 60};
    /** Prefixes examined for the time to the first LEAK verdict. */
    static final double PREFIX_STEP = 1;
    static final double PREFIX_MAX = 30;

    record Family(String name, boolean leak, Gen gen) {
    }

    /** One random series of a family: its model and its true slope (bytes/min, 0 for non-leaks). */
    record Case(Synthetic.Model model, double trueSlope) {
    }

    interface Gen {
        Case draw(SplittableRandom r);
    }

    interface Detector {
        String name();

        /** LEAK or not, and the slope it estimated (NaN if none), from the series up to {@code minutes}. */
        double[] detect(double[][] afterGc, double[][] raw, double minutes);
    }

    static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    static Synthetic.Model model(SplittableRandom r, DoubleUnaryOperator live, double level) {
        double gc = u(r, 5, 30);
        double alloc = level * u(r, 0.3, 1.0) / gc; // the heap roughly doubles between collections
        return new Synthetic.Model(live, level * u(r, 0.005, 0.03), u(r, 0, 0.8), gc, alloc);
    }

    static List<Family> families() {
        List<Family> f = new ArrayList<>();
        f.add(new Family("saw-tooth, flat live set", false, r -> {
            double level = u(r, 100, 1000) * MB;
            return new Case(model(r, Synthetic.flat(level), level), 0);
        }));
        f.add(new Family("cache filling to a plateau", false, r -> {
            double level = u(r, 100, 1000) * MB;
            return new Case(model(r, Synthetic.saturating(level, level * u(r, 0.2, 1), u(r, 2, 12)), level), 0);
        }));
        f.add(new Family("one step", false, r -> {
            double level = u(r, 100, 1000) * MB;
            return new Case(model(r, Synthetic.step(level, level * u(r, 0.05, 0.3), u(r, 3, 50)), level), 0);
        }));
        f.add(new Family("warm-up, then flat", false, r -> {
            double level = u(r, 100, 1000) * MB;
            return new Case(model(r, Synthetic.warmup(level * u(r, 0.2, 0.8), u(r, 2, 10), Synthetic.flat(level)), level), 0);
        }));
        f.add(new Family("bursty batches", false, r -> {
            double level = u(r, 100, 1000) * MB;
            double every = u(r, 3, 15);
            return new Case(model(r, Synthetic.bursty(level, level * u(r, 0.1, 0.5), every, every * u(r, 0.1, 0.4),
                    u(r, 0, every)), level), 0);
        }));
        f.add(new Family("slow linear leak 0.2-5 MB/min", true, r -> {
            double level = u(r, 100, 1000) * MB;
            double slope = Math.exp(u(r, Math.log(0.2), Math.log(5))) * MB;
            return new Case(model(r, Synthetic.linear(level, slope), level), slope);
        }));
        f.add(new Family("warm-up, then leak 0.5-5 MB/min", true, r -> {
            double level = u(r, 100, 1000) * MB;
            double slope = Math.exp(u(r, Math.log(0.5), Math.log(5))) * MB;
            return new Case(model(r, Synthetic.warmup(level * u(r, 0.2, 0.8), u(r, 2, 8), Synthetic.linear(level, slope)),
                    level), slope);
        }));
        f.add(new Family("goal: 1 MB/min on a 500 MB saw-tooth heap", true, r -> {
            // live set 250 MB, filled to about 500 MB between collections every 10 s, survivor noise 5 MB
            double level = 250 * MB;
            return new Case(new Synthetic.Model(Synthetic.linear(level, MB), 5 * MB, u(r, 0, 0.8), 10, 25 * MB), MB);
        }));
        return f;
    }

    static double[][] prefix(double[][] s, double minutes) {
        int k = 0;
        while (k < s[0].length && s[0][k] <= minutes) {
            k++;
        }
        return new double[][] {Arrays.copyOf(s[0], k), Arrays.copyOf(s[1], k)};
    }

    static List<Detector> detectors() {
        List<Detector> d = new ArrayList<>();
        d.add(new Detector() {
            public String name() {
                return "leakscope (heap after GC)";
            }

            public double[] detect(double[][] a, double[][] raw, double m) {
                double[][] p = prefix(a, m);
                SignalFitter.Fit f = SignalFitter.fit(p[0], p[1], "bytes", null, 0);
                return new double[] {f.verdict() == Verdict.LEAK ? 1 : 0, f.trend() == null ? Double.NaN : f.trend().slope()};
            }
        });
        d.add(new Detector() {
            public String name() {
                return "leakscope (raw heap, lower envelope)";
            }

            public double[] detect(double[][] a, double[][] raw, double m) {
                double[][] p = prefix(raw, m);
                double[][] e = Envelope.lower(p[0], p[1]);
                SignalFitter.Fit f = SignalFitter.fit(e[0], e[1], "bytes", null, 0);
                return new double[] {f.verdict() == Verdict.LEAK ? 1 : 0, f.trend() == null ? Double.NaN : f.trend().slope()};
            }
        });
        d.add(new Detector() {
            public String name() {
                return "OLS on raw heap (slope > 0, p < 0.05)";
            }

            public double[] detect(double[][] a, double[][] raw, double m) {
                double[][] p = prefix(raw, m);
                SimpleRegression r = new SimpleRegression();
                for (int i = 0; i < p[0].length; i++) {
                    r.addData(p[0][i], p[1][i]);
                }
                boolean leak = p[0].length > 2 && r.getSlope() > 0 && r.getSignificance() < 0.05;
                return new double[] {leak ? 1 : 0, r.getSlope()};
            }
        });
        d.add(new Detector() {
            public String name() {
                return "JMC-style (OLS after GC past warm-up, score >= 25)";
            }

            public double[] detect(double[][] a, double[][] raw, double m) {
                double[][] p = prefix(a, m);
                // JMC cuts the warm-up at 90% of classes loaded; synthetic series have no classes: cut the first 10%
                SimpleRegression r = new SimpleRegression();
                double warm = 0.1 * m;
                double atWarmup = Double.NaN;
                for (int i = 0; i < p[0].length; i++) {
                    if (p[0][i] >= warm) {
                        if (Double.isNaN(atWarmup)) {
                            atWarmup = p[1][i];
                        }
                        r.addData(p[0][i], p[1][i]);
                    }
                }
                if (r.getN() < 3) {
                    return new double[] {0, Double.NaN};
                }
                double relativePerSecond = r.getSlope() / 60 / atWarmup;
                double score = 100 * (1 - Math.pow(4, -Math.max(0, relativePerSecond) / 0.01)); // 75 at 1 %/s
                return new double[] {score >= 25 ? 1 : 0, r.getSlope()};
            }
        });
        return d;
    }

    public static void main(String[] args) {
        int perFamily = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261124L;
        List<Family> families = families();
        List<Detector> detectors = detectors();
        int nd = detectors.size();
        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "Monte-Carlo growth detection: %d series per family, %d families, seed %d, %.0f min each%n%n",
                perFamily, families.size(), seed, MINUTES);
        // per detector: non-leak flags at each checkpoint, leak detections at each checkpoint
        double[][] fpAll = new double[nd][CHECKPOINTS.length];
        int nonLeaks = 0;
        for (Family fam : families) {
            SplittableRandom r = new SplittableRandom(seed ^ fam.name().hashCode());
            int[][] flagged = new int[nd][CHECKPOINTS.length];
            double[][] errSum = new double[nd][CHECKPOINTS.length];
            int[][] errN = new int[nd][CHECKPOINTS.length];
            double[][] within10 = new double[nd][CHECKPOINTS.length];
            List<List<Double>> firstLeak = new ArrayList<>();
            for (int k = 0; k < nd; k++) {
                firstLeak.add(new ArrayList<>());
            }
            for (int i = 0; i < perFamily; i++) {
                Case c = fam.gen().draw(r);
                long s = r.nextLong();
                double[][] a = Synthetic.afterGc(c.model(), MINUTES, s);
                double[][] raw = Synthetic.rawHeap(c.model(), MINUTES, s);
                for (int k = 0; k < nd; k++) {
                    Detector d = detectors.get(k);
                    for (int cp = 0; cp < CHECKPOINTS.length; cp++) {
                        double[] res = d.detect(a, raw, CHECKPOINTS[cp]);
                        flagged[k][cp] += (int) res[0];
                        if (fam.leak() && res[0] == 1 && !Double.isNaN(res[1])) {
                            double err = Math.abs(res[1] - c.trueSlope()) / c.trueSlope();
                            errSum[k][cp] += err;
                            errN[k][cp]++;
                            within10[k][cp] += err <= 0.1 ? 1 : 0;
                        }
                    }
                    if (fam.leak()) {
                        double first = Double.NaN;
                        for (double m = PREFIX_STEP; m <= PREFIX_MAX; m += PREFIX_STEP) {
                            if (d.detect(a, raw, m)[0] == 1) {
                                first = m;
                                break;
                            }
                        }
                        firstLeak.get(k).add(first);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "## %s (%s, %d series)%n", fam.name(), fam.leak() ? "leak" : "no leak", perFamily);
            System.out.printf(Locale.ROOT, "| detector | %s |%s%n", fam.leak()
                            ? "flagged at 10 / 30 / 60 min | median slope error at 10 / 30 / 60 min | within 10% at 30 min | minutes to first LEAK (median, p90, found by 30 min)"
                            : "false positives at 10 / 30 / 60 min",
                    fam.leak() ? "" : "");
            System.out.println(fam.leak() ? "|---|---|---|---|---|" : "|---|---|");
            for (int k = 0; k < nd; k++) {
                StringBuilder row = new StringBuilder("| " + detectors.get(k).name() + " | ");
                for (int cp = 0; cp < CHECKPOINTS.length; cp++) {
                    row.append(String.format(Locale.ROOT, "%.1f%%", 100.0 * flagged[k][cp] / perFamily)).append(cp < 2 ? " / " : "");
                    if (!fam.leak()) {
                        fpAll[k][cp] += flagged[k][cp];
                    }
                }
                if (fam.leak()) {
                    row.append(" | ");
                    for (int cp = 0; cp < CHECKPOINTS.length; cp++) {
                        row.append(errN[k][cp] == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * errSum[k][cp] / errN[k][cp]))
                                .append(cp < 2 ? " / " : "");
                    }
                    row.append(String.format(Locale.ROOT, " | %.0f%% | ", errN[k][1] == 0 ? 0 : 100 * within10[k][1] / errN[k][1]));
                    double[] f = firstLeak.get(k).stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x)).sorted().toArray();
                    row.append(f.length == 0 ? "never" : String.format(Locale.ROOT, "%.0f, %.0f, %.0f%%", f[f.length / 2],
                            f[Math.min(f.length - 1, (int) Math.ceil(0.9 * f.length) - 1)], 100.0 * f.length / perFamily));
                }
                System.out.println(row.append(" |"));
            }
            System.out.println();
            if (!fam.leak()) {
                nonLeaks += perFamily;
            }
        }
        System.out.printf(Locale.ROOT, "## All synthetic non-leaks (%d series): false-positive rate at 10 / 30 / 60 min%n", nonLeaks);
        System.out.println("| detector | false positives |");
        System.out.println("|---|---|");
        for (int k = 0; k < nd; k++) {
            System.out.printf(Locale.ROOT, "| %s | %.2f%% / %.2f%% / %.2f%% |%n", detectors.get(k).name(),
                    100 * fpAll[k][0] / nonLeaks, 100 * fpAll[k][1] / nonLeaks, 100 * fpAll[k][2] / nonLeaks);
        }
        System.out.printf(Locale.ROOT, "%n(took %.0f s)%n", (System.nanoTime() - started) / 1e9);
    }
}
