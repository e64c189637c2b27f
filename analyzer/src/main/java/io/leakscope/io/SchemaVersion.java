package io.leakscope.io;

/** "major.minor" schema versions: a reader takes any minor of its own major and refuses a newer major. */
public final class SchemaVersion {
    private SchemaVersion() {
    }

    public static int major(String version) {
        if (version == null || version.isBlank()) {
            return -1;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version.trim() : version.substring(0, dot).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param what      the file, for the message
     * @param found     the version in the file
     * @param supported the version this code writes
     */
    public static void check(String what, String found, String supported) {
        int f = major(found);
        int s = major(supported);
        if (f < 0) {
            throw new InputException(what + ": no valid schemaVersion (found \"" + found + "\")");
        }
        if (f > s) {
            throw new InputException(what + ": schema version " + found + " is newer than this leakscope reads ("
                    + s + ".x); upgrade leakscope");
        }
        if (f < s) {
            throw new InputException(what + ": schema version " + found + " is older than this leakscope reads ("
                    + s + ".x)");
        }
    }
}
