package io.leakscope.heap;

/** A gzip'd dump being inflated: how far into the file it got, and where the members it read start. */
interface GzipInput {
    /** Bytes of the compressed file read so far: a pass's progress. */
    long fileBytesRead();

    /** Where the members read so far start. */
    Starts starts();

    /** Where each member read so far starts in the file. */
    default long[] memberFileOffsets() {
        return starts().fileOffsets();
    }

    /** Where each member read so far starts in the inflated dump. */
    default long[] memberOffsets() {
        return starts().dumpOffsets();
    }

    /** Where members start, in the file and in the dump, noted one after another by whoever reads them. */
    final class Starts {
        private long[] file = new long[64];
        private long[] dump = new long[64];
        private int count;

        void add(long fileOffset, long dumpOffset) {
            if (count == file.length) {
                file = java.util.Arrays.copyOf(file, count * 2);
                dump = java.util.Arrays.copyOf(dump, count * 2);
            }
            file[count] = fileOffset;
            dump[count++] = dumpOffset;
        }

        int count() {
            return count;
        }

        long[] fileOffsets() {
            return java.util.Arrays.copyOf(file, count);
        }

        long[] dumpOffsets() {
            return java.util.Arrays.copyOf(dump, count);
        }
    }
}
