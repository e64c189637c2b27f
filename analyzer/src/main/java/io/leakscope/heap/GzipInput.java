package io.leakscope.heap;

/** A gzip'd dump being inflated: how far into the file it got, and where the members it read start. */
interface GzipInput {
    /** Bytes of the compressed file read so far: a pass's progress. */
    long fileBytesRead();

    /** Where each member read so far starts in the file. */
    long[] memberFileOffsets();

    /** Where each member read so far starts in the inflated dump. */
    long[] memberOffsets();
}
