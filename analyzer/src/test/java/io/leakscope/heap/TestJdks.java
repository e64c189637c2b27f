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
 * ~/.cache/leakscope/test-jdks: JDK 21).
 */
final class TestJdks {
    private TestJdks() {
    }

    /** A JDK of at least {@code version} installed next to this one, with its tools ({@code jcmd}). */
    static Optional<Path> from(int version) throws IOException {
        return find(List.of(Path.of(System.getProperty("java.home")).toRealPath().getParent()), version, false);
    }

    /** A JDK of exactly {@code version}, next to this one or unpacked by scripts/install-test-deps.sh. */
    static Optional<Path> exactly(int version) throws IOException {
        String own = System.getenv("LEAKSCOPE_TEST_JDKS");
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(System.getProperty("java.home")).toRealPath().getParent());
        dirs.add(own != null && !own.isEmpty() ? Path.of(own)
                : Path.of(System.getProperty("user.home"), ".cache", "leakscope", "test-jdks"));
        return find(dirs, version, true);
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
                            try {
                                Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)")
                                        .matcher(Files.readString(p.resolve("release")));
                                int v = m.find() ? Integer.parseInt(m.group(1)) : -1;
                                return exact ? v == version : v >= version;
                            } catch (IOException e) {
                                return false;
                            }
                        }).sorted().findFirst();
                if (jdk.isPresent()) {
                    return jdk;
                }
            }
        }
        return Optional.empty();
    }
}
