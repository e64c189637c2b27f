package io.leakscope.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * LEAKS slowly under heavy churn: each step allocates ~200 KB of garbage, and every tenth step keeps a 2 KB
 * audit record forever. Path: {@code AuditLog.RECORDS -> byte[]}.
 */
final class SlowLeakUnderChurn implements SampleAgent.Scenario {
    static final class AuditLog {
        static final List<byte[]> RECORDS = new ArrayList<>();
    }

    private long sink;

    @Override
    public void step(long i) {
        for (int k = 0; k < 50; k++) {
            byte[] garbage = new byte[4096];
            garbage[k] = (byte) i;
            sink += garbage[k];
        }
        if (i % 10 == 0) {
            AuditLog.RECORDS.add(new byte[2048]);
        }
    }
}
