package io.leakscope.findings;

/**
 * The process the data came from.
 *
 * @param pid         its PID at capture time, null when unknown (offline files)
 * @param kind        jvm, process (any other process), or offline
 * @param commandLine its command line, with arguments
 * @param startTime   when the process started (ISO-8601), if known
 * @param user        the user it ran as
 * @param jvm         set when it is a JVM
 */
public record Target(Long pid, String kind, String commandLine, String startTime, String user, JvmInfo jvm) {
    public static Target offline(String description) {
        return new Target(null, "offline", description, null, null, null);
    }
}
