package io.leakscope.findings;

/**
 * Something to do, computed from the measurements.
 *
 * @param kind    containment (limit or restart the process now), jvm-flag, or code (where to look)
 * @param title   one line
 * @param detail  why, with the numbers it was derived from
 * @param command the exact setting or command to apply, if there is one
 */
public record Recommendation(String kind, String title, String detail, String command) {
}
