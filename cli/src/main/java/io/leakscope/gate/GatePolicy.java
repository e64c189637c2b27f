package io.leakscope.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leakscope.findings.Verdict;
import io.leakscope.io.InputException;
import io.leakscope.io.Units;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the gate fails on: thresholds per signal, the verdicts that fail, the confidence a decision needs, and
 * suppressed growing paths. Built from a config file ({@code leakscope.json} or YAML) and command-line options,
 * the latter winning.
 *
 * @param failOn        verdicts that fail a signal (LEAK by default; SATURATING when asked)
 * @param minConfidence a LEAK whose Mann–Kendall confidence (1 − p) is below this counts as inconclusive
 * @param thresholds    per signal name ({@link #SIGNALS} or a series id); key "*" applies to every signal
 * @param suppressions  growing paths known and accepted, each with its reason
 */
public record GatePolicy(Set<Verdict> failOn, double minConfidence, Map<String, Threshold> thresholds,
                         List<Suppression> suppressions) {

    /** Short names for the signals people gate on, and the series ids they stand for. */
    public static final Map<String, List<String>> SIGNALS = Map.of(
            "heap", List.of("jvm.heap.after_gc", "jvm.oldgen.after_gc"),
            "native", List.of("nmt.total.committed", "memray.heap"),
            "rss", List.of("process.rss", "tree.rss", "jvm.rss", "memray.rss"));

    /**
     * @param maxSlopePerMinute bytes per minute; fails only when the slope's lower bound is above it, so noise
     *                          around the limit does not fail a build
     * @param maxGrowthBytes    growth over the capture after warm-up
     */
    public record Threshold(Double maxSlopePerMinute, Double maxGrowthBytes) {
        /** This threshold with the values {@code over} sets on top. */
        public Threshold merge(Threshold over) {
            return new Threshold(over.maxSlopePerMinute != null ? over.maxSlopePerMinute : maxSlopePerMinute,
                    over.maxGrowthBytes != null ? over.maxGrowthBytes : maxGrowthBytes);
        }
    }

    /** @param path a substring of a growing path's signature or its path from the GC root */
    public record Suppression(String path, String reason) {
    }

    public static GatePolicy defaults() {
        return new GatePolicy(Set.of(Verdict.LEAK), 0.0, Map.of(), List.of());
    }

    /** The threshold for a series: its own id, then its signal's short name, then "*"; null when none. */
    public Threshold thresholdFor(String seriesId) {
        Threshold t = thresholds.get("*");
        for (Map.Entry<String, List<String>> e : SIGNALS.entrySet()) {
            if (e.getValue().contains(seriesId) && thresholds.containsKey(e.getKey())) {
                t = t == null ? thresholds.get(e.getKey()) : t.merge(thresholds.get(e.getKey()));
            }
        }
        Threshold own = thresholds.get(seriesId);
        if (own != null) {
            t = t == null ? own : t.merge(own);
        }
        return t;
    }

    public Suppression suppressionFor(String signature, List<String> path) {
        String joined = String.join(" → ", path);
        for (Suppression s : suppressions) {
            if (signature.contains(s.path) || joined.contains(s.path)) {
                return s;
            }
        }
        return null;
    }

    /** This policy with the options given on the command line on top. */
    public GatePolicy with(Set<Verdict> failOn, Double minConfidence, Map<String, Threshold> thresholds) {
        Map<String, Threshold> t = new LinkedHashMap<>(this.thresholds);
        thresholds.forEach((k, v) -> t.merge(k, v, Threshold::merge));
        return new GatePolicy(failOn != null ? failOn : this.failOn,
                minConfidence != null ? minConfidence : this.minConfidence, t, suppressions);
    }

    // --- the config file ------------------------------------------------------------------------------

    /** The file's shape: sizes and rates as people write them ("2MB/min", "20MB"). */
    record File(List<String> failOn, Double minConfidence, Map<String, FileThreshold> thresholds,
                List<Suppression> suppress) {
    }

    record FileThreshold(String maxSlope, String maxGrowth) {
    }

    /** Reads {@code leakscope.json} / {@code .yaml}; one line naming the file and the problem when it is wrong. */
    public static GatePolicy read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory())
                : new ObjectMapper();
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        File f;
        try {
            f = m.readValue(file.toFile(), File.class);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not a valid gate config (" + e.getOriginalMessage() + ")");
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (f == null) {
            return defaults();
        }
        try {
            Map<String, Threshold> t = new LinkedHashMap<>();
            if (f.thresholds() != null) {
                f.thresholds().forEach((k, v) -> t.put(k, new Threshold(
                        v.maxSlope() != null ? parseRate(v.maxSlope()) : null,
                        v.maxGrowth() != null ? (double) Units.parseBytes(v.maxGrowth()) : null)));
            }
            List<Suppression> sup = new ArrayList<>();
            if (f.suppress() != null) {
                for (Suppression s : f.suppress()) {
                    if (s.path() == null || s.path().isBlank() || s.reason() == null || s.reason().isBlank()) {
                        throw new InputException("every suppression needs a path and a reason");
                    }
                    sup.add(s);
                }
            }
            return new GatePolicy(f.failOn() != null ? parseVerdicts(f.failOn()) : Set.of(Verdict.LEAK),
                    f.minConfidence() != null ? f.minConfidence() : 0.0, t, sup);
        } catch (InputException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    public static Set<Verdict> parseVerdicts(List<String> names) {
        Set<Verdict> out = new java.util.HashSet<>();
        for (String n : names) {
            switch (n.trim().toLowerCase(Locale.ROOT)) {
                case "leak" -> out.add(Verdict.LEAK);
                case "saturating" -> out.add(Verdict.SATURATING);
                default -> throw new InputException("'" + n + "' is not a verdict to fail on (leak, saturating)");
            }
        }
        return Set.copyOf(out);
    }

    /** "2MB/min", "500KB/s", "1GiB/h" → bytes per minute. */
    public static double parseRate(String s) {
        int slash = s.lastIndexOf('/');
        if (slash <= 0) {
            throw new InputException("'" + s + "' is not a rate (examples: 2MB/min, 500KB/s, 1GB/h)");
        }
        double perMinute = switch (s.substring(slash + 1).trim().toLowerCase(Locale.ROOT)) {
            case "s", "sec", "second" -> 60;
            case "m", "min", "minute" -> 1;
            case "h", "hour" -> 1 / 60.0;
            default -> throw new InputException("'" + s + "' is not a rate (examples: 2MB/min, 500KB/s, 1GB/h)");
        };
        return Units.parseBytes(s.substring(0, slash).trim()) * perMinute;
    }
}
