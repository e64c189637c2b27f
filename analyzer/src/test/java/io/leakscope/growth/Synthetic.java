package io.leakscope.growth;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Synthetic heap series with a known truth, for the unit tests and the detection-quality benchmark. A
 * collection happens every {@code gcSeconds} (±30% jitter); what survives it is the live set plus survivor
 * noise that is autocorrelated from one collection to the next (AR(1)); between collections the heap
 * fills at {@code allocPerSecond}. Raw heap used is sampled every second.
 */
final class Synthetic {
    static final double MB = 1024 * 1024;

    /**
     * @param live          the true live set over time (minutes → bytes)
     * @param noiseSd       standard deviation of the survivor noise, bytes
     * @param phi           AR(1) coefficient of that noise
     * @param gcSeconds     mean time between collections
     * @param allocPerSecond how fast the heap fills between collections
     */
    record Model(DoubleUnaryOperator live, double noiseSd, double phi, double gcSeconds, double allocPerSecond) {
    }

    /** {times in minutes, after-GC values}, over {@code minutes}. */
    static double[][] afterGc(Model m, double minutes, long seed) {
        return run(m, minutes, seed, false);
    }

    /** {times in minutes, raw heap used sampled every second}. */
    static double[][] rawHeap(Model m, double minutes, long seed) {
        return run(m, minutes, seed, true);
    }

    private static double[][] run(Model m, double minutes, long seed, boolean raw) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double end = minutes * 60;
        int cap = (int) (raw ? end + 2 : end / (m.gcSeconds() * 0.7) + 2);
        double[] t = new double[cap];
        double[] y = new double[cap];
        int k = 0;
        double noise = 0;
        double innovation = m.noiseSd() * Math.sqrt(1 - m.phi() * m.phi());
        double lastGc = rnd.nextDouble() * m.gcSeconds();
        double afterLast = m.live().applyAsDouble(0);
        double nextGc = lastGc;
        for (double s = 0; s < end; ) {
            if (raw) {
                if (s >= nextGc) {
                    noise = m.phi() * noise + innovation * gaussian(rnd);
                    afterLast = m.live().applyAsDouble(s / 60) + Math.abs(noise);
                    lastGc = nextGc;
                    nextGc += m.gcSeconds() * (0.7 + 0.6 * rnd.nextDouble());
                }
                t[k] = s / 60;
                y[k++] = afterLast + m.allocPerSecond() * (s - lastGc);
                s += 1;
            } else {
                s = nextGc;
                if (s >= end) {
                    break;
                }
                noise = m.phi() * noise + innovation * gaussian(rnd);
                t[k] = s / 60;
                y[k++] = m.live().applyAsDouble(s / 60) + Math.abs(noise);
                nextGc += m.gcSeconds() * (0.7 + 0.6 * rnd.nextDouble());
            }
        }
        return new double[][] {Arrays.copyOf(t, k), Arrays.copyOf(y, k)};
    }

    static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    static DoubleUnaryOperator flat(double level) {
        return t -> level;
    }

    static DoubleUnaryOperator linear(double level, double perMinute) {
        return t -> level + perMinute * t;
    }

    /** Rises by {@code rise} with time constant {@code tau} minutes, then stays. */
    static DoubleUnaryOperator saturating(double level, double rise, double tau) {
        return t -> level + rise * (1 - Math.exp(-t / tau));
    }

    static DoubleUnaryOperator step(double level, double jump, double at) {
        return t -> t < at ? level : level + jump;
    }

    /** Batches that hold {@code extra} for {@code minutes} every {@code every} minutes, then release it. */
    static DoubleUnaryOperator bursty(double level, double extra, double every, double minutes, double phase) {
        return t -> ((t + phase) % every) < minutes ? level + extra : level;
    }

    /** A warm-up ramp of {@code rise} over the first {@code minutes}, then {@code after}. */
    static DoubleUnaryOperator warmup(double rise, double minutes, DoubleUnaryOperator after) {
        return t -> t < minutes ? after.applyAsDouble(0) - rise + rise * t / minutes : after.applyAsDouble(t - minutes);
    }
}
