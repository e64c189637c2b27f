package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where parked and mapped tables go: a tmpfs would keep them in memory, so the JVM's default temp directory on a
 * tmpfs gives way to a writable directory on a disk; a directory the user chose is kept. {@code /dev/shm} is the
 * tmpfs at hand on Linux, the test's own temp directory the disk. And when that disk fills up under tables
 * already mapped, the analysis ends in one line.
 */
class TablesDirectoryTest {
    @Test
    void aTmpfsDefaultGivesWayToADisk(@TempDir Path disk) throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "no tmpfs at /dev/shm");
        assumeTrue(!Files.getFileStore(disk).type().equals("tmpfs"), "the test's temp directory is a tmpfs");

        assertEquals(disk, ParkedArrays.directoryFor(shm, shm, disk));          // the default, on a tmpfs
        assertEquals(shm, ParkedArrays.directoryFor(shm, Path.of("/tmp"), disk)); // chosen: kept
        assertEquals(disk, ParkedArrays.directoryFor(disk, disk, shm));           // the default, on a disk
        assertEquals(shm, ParkedArrays.directoryFor(shm, shm, shm));              // nowhere better to go
        assertEquals(shm, ParkedArrays.directoryFor(shm, shm, disk.resolve("missing")));
    }

    /**
     * A write to a mapped page the file system has no block for is a SIGBUS, which the JVM turns into an
     * InternalError; the analysis turns that into one line naming the directory (exit 2). Checked for real: a
     * table mapped on a 70 MB tmpfs private to a child JVM, the tmpfs then filled, the table written.
     */
    @Test
    void aDiskThatFillsUnderMappedTablesEndsInOneLine(@TempDir Path tmp) throws Exception {
        assumeTrue(PrivateTmpfs.available(tmp), "needs unshare and a private tmpfs mount (root, or user namespaces)");
        Path dir = Files.createDirectory(tmp.resolve("tables"));
        List<String> cmd = new ArrayList<>(PrivateTmpfs.prefix(dir, 70));
        cmd.addAll(ChildProcess.java(List.of("-Xmx64m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir),
                WriteTablesOnAFullDisk.class, dir.toString()));
        ChildProcess run = ChildProcess.run(cmd, 60);
        assertEquals(2, run.code(), run.out());
        assertEquals("dump.hprof: could not write the analysis's tables mapped in " + dir + " (is its disk full?); free"
                + " space there or point leakscope elsewhere: LEAKSCOPE_JAVA_OPTS=-Djava.io.tmpdir=DIR",
                run.out().strip());
    }
}
