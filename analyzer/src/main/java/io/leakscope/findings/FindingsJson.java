package io.leakscope.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.leakscope.io.AtomicFiles;
import io.leakscope.io.InputException;
import io.leakscope.io.SchemaVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes findings.json. */
public final class FindingsJson {
    /** Shared, configured once: unknown fields are ignored so that a newer minor version still reads. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private FindingsJson() {
    }

    public static void write(Findings findings, Path file) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(findings);
        AtomicFiles.write(file, json);
    }

    public static String toJson(Findings findings) {
        try {
            return MAPPER.writeValueAsString(findings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Findings read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return fromTree(file.toString(), tree);
    }

    /** True if the file looks like a findings document (used to recognise inputs). */
    public static boolean looksLikeFindings(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return false;
            }
            byte[] head = new byte[(int) Math.min(4096, Files.size(file))];
            try (var in = Files.newInputStream(file)) {
                int n = in.readNBytes(head, 0, head.length);
                String s = new String(head, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                return s.stripLeading().startsWith("{") && s.contains("\"" + Findings.SCHEMA + "\"");
            }
        } catch (IOException e) {
            return false;
        }
    }

    static Findings fromTree(String what, JsonNode tree) {
        if (tree == null || !tree.isObject() || !Findings.SCHEMA.equals(tree.path("schema").asText())) {
            throw new InputException(what + ": not a leakscope findings file (no \"schema\": \"" + Findings.SCHEMA + "\")");
        }
        SchemaVersion.check(what, tree.path("schemaVersion").asText(null), Findings.SCHEMA_VERSION);
        try {
            return MAPPER.treeToValue(tree, Findings.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InputException(what + ": malformed findings (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
