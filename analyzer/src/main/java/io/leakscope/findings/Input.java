package io.leakscope.findings;

/**
 * One input the findings were computed from.
 *
 * @param path  as the user named it (or relative to the bundle)
 * @param kind  what it was read as: bundle, hprof, jfr, nmt, smaps, memray-csv, memray-json, memray-bin,
 *              memray-html, findings
 * @param bytes its size
 */
public record Input(String path, String kind, long bytes) {
}
