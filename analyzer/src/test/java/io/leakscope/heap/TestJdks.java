package io.leakscope.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The other JDKs the tests can dump: those installed next to the one running them (here Temurin 25 beside JDK
 * 17), and those scripts/install-test-deps.sh unpacks into $LEAKSCOPE_TEST_JDKS (default
 * ~/.cache/leakscope/test-jdks: JDK 8, 11 and 21, and where an archive has them 13, 16, 18, 24, 26 and 27).
 */
public final class TestJdks {
    private TestJdks() {
    }

    /** A JDK of at least {@code version} installed next to this one, with its tools ({@code jcmd}). */
    public static Optional<Path> from(int version) throws IOException {
        return find(List.of(Path.of(System.getProperty("java.home")).toRealPath().getParent()), version, false);
    }

    /** A JDK of exactly {@code version}, next to this one or unpacked by scripts/install-test-deps.sh. */
    public static Optional<Path> exactly(int version) throws IOException {
        String own = System.getenv("LEAKSCOPE_TEST_JDKS");
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(System.getProperty("java.home")).toRealPath().getParent());
        dirs.add(own != null && !own.isEmpty() ? Path.of(own)
                : Path.of(System.getProperty("user.home"), ".cache", "leakscope", "test-jdks"));
        return find(dirs, version, true);
    }

    /** Compiles {@code source} with that JDK's own javac into {@code classes}; fails the test if it does not. */
    public static void javac(Path home, Path classes, Path source) throws IOException, InterruptedException {
        Files.createDirectories(classes);
        Process p = new ProcessBuilder(home.resolve("bin/javac").toString(), "-d", classes.toString(),
                source.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(home + "/bin/javac " + source + ": " + said);
        }
    }

    /** The feature release of the JDK at {@code home} (8 for "1.8.0"), by its release file; -1 if unknown. */
    public static int version(Path home) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(?:1\\.)?(\\d+)")
                    .matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Optional<Path> find(List<Path> dirs, int version, boolean exact) throws IOException {
        for (Path dir : dirs) {
            if (dir == null || !Files.isDirectory(dir)) {
                continue;
            }
            try (var s = Files.list(dir)) {
                Optional<Path> jdk = s.filter(p -> Files.isRegularFile(p.resolve("release"))
                        && Files.isExecutable(p.resolve("bin/java")) && Files.isExecutable(p.resolve("bin/jcmd")))
                        .filter(p -> {
                            int v = version(p);
                            return exact ? v == version : v >= version;
                        }).sorted().findFirst();
                if (jdk.isPresent()) {
                    return jdk;
                }
            }
        }
        return Optional.empty();
    }
}
