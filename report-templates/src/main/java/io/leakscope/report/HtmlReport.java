package io.leakscope.report;

import com.fasterxml.jackson.core.type.TypeReference;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.leakscope.findings.Findings;
import io.leakscope.findings.FindingsJson;
import io.leakscope.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders findings as one self-contained HTML file. The template sees the findings as their JSON tree
 * ({@code f}) and a view derived from the findings alone ({@code v}: chart geometry, capped tables, the
 * first-screen answers), so the report depends on nothing but the findings format. Output escaping is HTML
 * auto-escaping (.ftlh), so class names and paths from a dump cannot inject; the page's CSP allows no network.
 */
public final class HtmlReport {
    private static final Configuration CONFIG = configure();

    private HtmlReport() {
    }

    private static Configuration configure() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setClassForTemplateLoading(HtmlReport.class, "/io/leakscope/report");
        c.setDefaultEncoding("UTF-8");
        c.setOutputEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        c.setRecognizeStandardFileExtensions(true); // .ftlh => HTML output format, auto-escaping on
        c.setNumberFormat("computer");
        return c;
    }

    /** The data model: the findings as their JSON tree. */
    static Map<String, Object> model(Findings f, Path baseDir) {
        // The template draws series only through the view's chart geometry: leave the (large) arrays out of the tree.
        Findings withoutSeries = new Findings(f.schema(), f.schemaVersion(), f.generatedAt(), f.generator(), f.verdict(),
                f.headline(), f.inputs(), f.target(), f.limits(), List.of(), f.growth(), f.heap(), f.nativeMemory(),
                f.recommendations(), f.notes(), f.capture());
        Map<String, Object> tree = FindingsJson.MAPPER.convertValue(withoutSeries, new TypeReference<Map<String, Object>>() { });
        return Map.of("f", tree, "v", ReportView.of(f, baseDir));
    }

    /** The report as a string; files the findings name (the flame graph) are looked up in {@code baseDir}. */
    public static String render(Findings f, Path baseDir) {
        StringWriter w = new StringWriter(1 << 16);
        try {
            render(f, baseDir, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    public static String render(Findings f) {
        return render(f, null);
    }

    /** Writes the report atomically; the findings' own files (the flame graph) are looked up next to it. */
    public static void write(Findings f, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        write(f, file, dir);
    }

    /** Writes the report atomically; {@code findingsDir} is where findings.json and the files it names are. */
    public static void write(Findings f, Path file, Path findingsDir) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            render(f, findingsDir, w);
            w.flush();
        });
    }

    /**
     * The writer's failures (a full disk) come out as they are, so that the file being written is named in the one
     * line the user sees; only the template's own failures are the program's.
     */
    static void render(Findings f, Path baseDir, Writer w) throws IOException {
        Template t;
        try {
            t = CONFIG.getTemplate("report.ftlh"); // in the jar: failing to load it is the program's failure
        } catch (IOException e) {
            throw new IllegalStateException("loading the report's template failed: " + e.getMessage(), e);
        }
        try {
            t.process(model(f, baseDir == null ? null : baseDir.toAbsolutePath()), w);
        } catch (TemplateException e) {
            throw new IllegalStateException("rendering the report failed: " + e.getMessage(), e);
        }
    }
}
