package io.leakscope.bundle;

import java.util.Map;

/**
 * A file in a bundle.
 *
 * @param path       relative to the bundle directory, '/'-separated, inside one of the well-known folders
 * @param kind       what it holds (see {@link ArtifactKind})
 * @param sha256     hex digest of its content
 * @param size       bytes
 * @param createdAt  ISO-8601 time it was completed
 * @param attributes kind-specific facts: for a heap dump its pause and whether it is compressed, for a JFR
 *                   file the settings it ran with
 */
public record Artifact(String path, String kind, String sha256, long size, String createdAt,
                       Map<String, String> attributes) {
    public Artifact {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
