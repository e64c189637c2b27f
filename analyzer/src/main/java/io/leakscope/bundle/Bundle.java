package io.leakscope.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.leakscope.findings.FindingsJson;
import io.leakscope.io.InputException;
import io.leakscope.io.SchemaVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A capture bundle opened for reading: the manifest, checked, and the artifacts' paths. Opening verifies
 * every artifact's size and sha256, so analysis never runs on a tampered or damaged file.
 */
public record Bundle(Path dir, Manifest manifest) {
    public static final String MANIFEST = "manifest.json";

    /** True if {@code dir} is a directory that holds a manifest. */
    public static boolean isBundle(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(MANIFEST));
    }

    public static Bundle open(Path dir) throws IOException {
        return open(dir, true);
    }

    /**
     * @param verify check every artifact's sha256 (reads every byte; skip only where the caller verified)
     */
    public static Bundle open(Path dir, boolean verify) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": no such bundle directory");
        }
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            String why = dir.getFileName().toString().endsWith(BundleWriter.PARTIAL)
                    ? " (this capture did not finish)" : "";
            throw new InputException(dir + ": not a leakscope bundle: " + MANIFEST + " is missing" + why);
        }
        JsonNode tree;
        try {
            tree = FindingsJson.MAPPER.readTree(mf.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException(mf + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !Manifest.SCHEMA.equals(tree.path("schema").asText())) {
            throw new InputException(mf + ": not a leakscope bundle manifest (no \"schema\": \"" + Manifest.SCHEMA + "\")");
        }
        SchemaVersion.check(mf.toString(), tree.path("schemaVersion").asText(null), Manifest.SCHEMA_VERSION);
        Manifest m;
        try {
            m = FindingsJson.MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InputException(mf + ": malformed manifest (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        Bundle b = new Bundle(dir.toAbsolutePath().normalize(), m);
        for (Artifact a : m.artifacts()) {
            Path p = b.resolve(a);
            if (!Files.isRegularFile(p)) {
                throw new InputException(dir + ": artifact " + a.path() + " is missing");
            }
            if (verify) {
                long size = Files.size(p);
                if (size != a.size()) {
                    throw new InputException(dir + ": artifact " + a.path() + " has " + size + " bytes, the manifest says "
                            + a.size() + " (modified or damaged)");
                }
                String sha = Sha256.of(p);
                if (!sha.equalsIgnoreCase(a.sha256())) {
                    throw new InputException(dir + ": artifact " + a.path() + " fails its sha256 check (modified or damaged)");
                }
            }
        }
        return b;
    }

    /** The file of an artifact; refuses paths that would leave the bundle. */
    public Path resolve(Artifact a) {
        Path p = dir.resolve(a.path()).normalize();
        if (a.path().startsWith("/") || !p.startsWith(dir)) {
            throw new InputException(dir + ": artifact path " + a.path() + " points outside the bundle");
        }
        return p;
    }

    public List<Artifact> artifacts(String kind) {
        return manifest.artifacts().stream().filter(a -> a.kind().equals(kind)).toList();
    }
}
