package io.leakscope.samples;

import java.util.concurrent.ThreadLocalRandom;

/** Fake but realistic agent payloads: tool outputs, prompts; one in fifty carries an API-key-shaped token. */
final class ToolOutputs {
    private static final String[] TOOLS = {"web_search", "read_file", "run_sql", "http_get", "shell"};

    private ToolOutputs() {
    }

    static String toolName(long i) {
        return TOOLS[(int) (i % TOOLS.length)];
    }

    /** A tool output of roughly {@code size} characters. */
    static String output(long i, int size) {
        StringBuilder sb = new StringBuilder(size + 64);
        sb.append("{\"tool\":\"").append(toolName(i)).append("\",\"step\":").append(i).append(",\"result\":\"");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (i % 50 == 0) {
            sb.append("Authorization: Bearer sk-live-");
            for (int k = 0; k < 40; k++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            sb.append(' ');
        }
        while (sb.length() < size) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.append("\"}").toString();
    }
}
