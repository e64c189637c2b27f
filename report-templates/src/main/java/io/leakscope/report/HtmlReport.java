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
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders findings as one self-contained HTML file. The template sees the findings only as their JSON tree
 * (maps, lists, numbers), never the analyzer's objects, so the report depends on nothing but the findings
 * format. Output escaping is HTML auto-escaping (.ftlh), so class names and paths from a dump cannot inject.
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
    static Map<String, Object> model(Findings f) {
        Map<String, Object> tree = FindingsJson.MAPPER.convertValue(f, new TypeReference<Map<String, Object>>() { });
        return Map.of("f", tree);
    }

    public static String render(Findings f) {
        StringWriter w = new StringWriter(1 << 16);
        render(f, w);
        return w.toString();
    }

    public static void write(Findings f, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            render(f, w);
            w.flush();
        });
    }

    private static void render(Findings f, Writer w) {
        try {
            Template t = CONFIG.getTemplate("report.ftlh");
            t.process(model(f), w);
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("rendering the report failed: " + e.getMessage(), e);
        }
    }
}
