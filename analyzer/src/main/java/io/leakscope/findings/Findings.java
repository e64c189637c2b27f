package io.leakscope.findings;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The single document the analyzer writes and the report and the gate read ({@code findings.json}).
 * The schema is versioned: readers accept any minor version of their major and refuse a newer major.
 * See docs/findings-format.md.
 */
public record Findings(
        String schema,
        String schemaVersion,
        String generatedAt,
        String generator,
        Verdict verdict,
        String headline,
        List<Input> inputs,
        Target target,
        Limits limits,
        List<Series> series,
        Growth growth,
        Heap heap,
        @JsonProperty("native") NativeMemory nativeMemory,
        List<Recommendation> recommendations,
        List<Note> notes,
        Capture capture) {

    public static final String SCHEMA = "leakscope.findings";
    public static final String SCHEMA_VERSION = "1.2";

    public Findings {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        series = series == null ? List.of() : List.copyOf(series);
        growth = growth == null ? Growth.EMPTY : growth;
        heap = heap == null ? Heap.EMPTY : heap;
        nativeMemory = nativeMemory == null ? NativeMemory.EMPTY : nativeMemory;
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
        notes = notes == null ? List.of() : List.copyOf(notes);
        limits = limits == null ? Limits.UNKNOWN : limits;
        verdict = verdict == null ? Verdict.INCONCLUSIVE : verdict;
    }

    /** Findings without capture details (loose offline files). */
    public Findings(String schema, String schemaVersion, String generatedAt, String generator, Verdict verdict,
                    String headline, List<Input> inputs, Target target, Limits limits, List<Series> series,
                    Growth growth, Heap heap, NativeMemory nativeMemory, List<Recommendation> recommendations,
                    List<Note> notes) {
        this(schema, schemaVersion, generatedAt, generator, verdict, headline, inputs, target, limits, series, growth,
                heap, nativeMemory, recommendations, notes, null);
    }

    public Series series(String id) {
        for (Series s : series) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
