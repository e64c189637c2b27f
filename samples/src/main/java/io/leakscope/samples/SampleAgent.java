package io.leakscope.samples;

import java.util.Locale;

/**
 * Starts one sample agent: a process that behaves like an LLM agent's worker and either leaks (in a known
 * place) or does not. Prints {@code ready pid=N} once running, then works until killed or until
 * {@code --seconds} have passed.
 *
 * <pre>java -cp leakscope-samples.jar io.leakscope.samples.SampleAgent SCENARIO [--rate STEPS_PER_SEC] [--seconds N]</pre>
 */
public final class SampleAgent {
    private SampleAgent() {
    }

    /** One step of work; called {@code rate} times a second. */
    interface Scenario {
        void step(long i);
    }

    static Scenario scenario(String name) {
        return switch (name) {
            case "history" -> new ConversationHistoryLeak();
            case "spans" -> new TracingSpanLeak();
            case "listeners" -> new ListenerLeak();
            case "offheap" -> new OffHeapLeak();
            case "slowleak" -> new SlowLeakUnderChurn();
            case "churn" -> new Churn();
            case "cache" -> new BoundedCache();
            case "bursty" -> new BurstyBatches();
            case "warmup" -> new LongWarmup();
            default -> throw new IllegalArgumentException("unknown scenario " + name
                    + " (history, spans, listeners, offheap, slowleak, churn, cache, bursty, warmup)");
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: SampleAgent history|spans|listeners|offheap|slowleak|churn|cache|bursty|warmup [--rate N] [--seconds N]");
            System.exit(2);
        }
        Scenario s = scenario(args[0].toLowerCase(Locale.ROOT));
        int rate = 50;
        long seconds = 365L * 24 * 3600; // "until killed"
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("ready pid=" + ProcessHandle.current().pid() + " scenario=" + args[0]);
        System.out.flush();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long next = start;
        for (long i = 0; System.nanoTime() < end; i++) {
            s.step(i);
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
    }
}
