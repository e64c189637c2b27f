package io.leakscope.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command run with a small tmpfs mounted on a directory, seen by that command alone: unshare(1) into a mount
 * namespace of its own (and a user namespace, so that it needs no root), mount, then exec. How the tests get a
 * full disk without touching the machine's.
 */
final class PrivateTmpfs {
    private PrivateTmpfs() {
    }

    /** The prefix that runs the rest of a command with a tmpfs of {@code mb} MB on {@code dir}. */
    static List<String> prefix(Path dir, int mb) {
        return List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=" + mb + "m,mode=0700 none \"$0\" && exec \"$@\"", dir.toString());
    }

    /** Whether this machine lets a test do that (unshare installed, namespaces allowed). */
    static boolean available(Path scratch) throws InterruptedException {
        try {
            Path probe = Files.createTempDirectory(scratch, "tmpfs-probe");
            List<String> cmd = new ArrayList<>(prefix(probe, 1));
            cmd.addAll(List.of("stat", "-f", "-c", "%T", probe.toString()));
            ChildProcess run = ChildProcess.run(cmd, 30);
            return run.code() == 0 && run.out().strip().equals("tmpfs");
        } catch (IOException e) {
            return false; // no unshare
        }
    }
}
