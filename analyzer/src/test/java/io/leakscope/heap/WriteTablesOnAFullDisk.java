package io.leakscope.heap;

import io.leakscope.io.InputException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * In a JVM of its own, with DIR on a small file system: maps a 4 MB table there (the free-space check passes),
 * fills the file system up, then writes the table, as an analysis does when something else fills the disk
 * after its tables were mapped. Prints what the CLI would print and exits 2, or says that nothing went wrong.
 */
public final class WriteTablesOnAFullDisk {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        ArraySpace space = ArraySpace.mapped(dir, 12);
        IntArray table = space.ints(1 << 20);
        if (!table.isMapped()) {
            System.out.println("not mapped: " + space.takeProblems());
            System.exit(3);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            byte[] block = new byte[1 << 16];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left: what this is about
        }
        try {
            for (int i = 0; i < table.length; i++) {
                table.set(i, i);
            }
        } catch (InternalError e) {
            InputException line = HeapReader.mappedWriteFault(Path.of("dump.hprof"), e);
            System.out.println(line != null ? line.getMessage() : "another error: " + e);
            System.exit(line != null ? 2 : 3);
        }
        System.out.println("no fault");
    }
}
