package io.leakscope.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The other JDKs installed next to the one running the tests (here: Temurin 25 beside JDK 17). */
final class TestJdks {
    private TestJdks() {
    }

    /** A JDK of at least {@code version} installed next to this one, with its tools ({@code jcmd}). */
    static Optional<Path> from(int version) throws IOException {
        Path jvms = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        if (jvms == null || !Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (var s = Files.list(jvms)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("release")) && Files.isExecutable(p.resolve("bin/java"))
                    && Files.isExecutable(p.resolve("bin/jcmd"))).filter(p -> {
                        try {
                            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(p.resolve("release")));
                            return m.find() && Integer.parseInt(m.group(1)) >= version;
                        } catch (IOException e) {
                            return false;
                        }
                    }).sorted().findFirst();
        }
    }
}
