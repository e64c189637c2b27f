package io.leakscope.samples;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * LEAKS native memory: every step allocates a 64 KB direct buffer for an embedding batch and keeps it in a
 * list; the Java heap stays flat (a DirectByteBuffer object is tiny) while RSS and NMT's "Other" category
 * grow. Path: {@code EmbeddingCache.BUFFERS -> DirectByteBuffer}; the allocation site is
 * {@code OffHeapLeak.allocateBatch}. Run it with {@code -XX:MaxDirectMemorySize} large enough.
 */
final class OffHeapLeak implements SampleAgent.Scenario {
    static final class EmbeddingCache {
        static final List<ByteBuffer> BUFFERS = new ArrayList<>();
    }

    @Override
    public void step(long i) {
        EmbeddingCache.BUFFERS.add(allocateBatch());
        ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024); // freed when collected: churn, not a leak
        scratch.putLong(0, i);
    }

    static ByteBuffer allocateBatch() {
        ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
        for (int k = 0; k < b.capacity(); k += 4096) {
            b.put(k, (byte) 1); // touch every page so it is resident
        }
        return b;
    }
}
