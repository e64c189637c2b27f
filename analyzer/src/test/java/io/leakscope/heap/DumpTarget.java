package io.leakscope.heap;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small program the tests run in its own JVM: it builds a heap of known shape and dumps itself on
 * command (stdin: "grow N", "links N", "dump FILE", "dumpgz FILE", "exit"), answering "ok" on stdout.
 */
public final class DumpTarget {
    static final class Node {
        Node next;
        byte[] payload;

        Node(Node next, int size) {
            this.next = next;
            this.payload = new byte[size];
        }
    }

    /** The smallest object with a reference: what makes a dump of many objects in few bytes. */
    static final class Link {
        Link next;
    }

    static final class Shared {
        final long[] data = new long[30]; // 16 + 240 = 256 bytes
    }

    static final class Owner {
        final String name;
        Shared shared;
        Node chain;

        Owner(String name) {
            this.name = name;
        }
    }

    /**
     * Thread subclasses with fields of their own, never started: HotSpot lays such fields after Thread's padding
     * (before JDK 19) or packs them with Thread's injected fields (JDK 19+), which the layout test checks.
     */
    static final class Flag extends Thread {
        boolean done;
    }

    static final class Ticker extends Thread {
        long ticks;
    }

    static final class Runner extends Thread {
        Object task;
        boolean done;
    }

    static final Thread[] WORKERS = {new Flag(), new Ticker(), new Runner()};
    /**
     * One stack frame a StackWalker made (StackFrameInfo, into which HotSpot injects a short up to JDK 21): a
     * class with a single instance, which the layout test compares with the JVM's size.
     */
    static final StackWalker.StackFrame FRAME = StackWalker.getInstance().walk(s -> s.findFirst()).orElseThrow();
    /** A pool that has run a task (in build): classes the JDK pads with @Contended, ForkJoinPool and WorkQueue. */
    static final java.util.concurrent.ForkJoinPool POOL = new java.util.concurrent.ForkJoinPool(1);
    /**
     * Counted by two threads at once (in build), so that they collide: Striped64$Cell and
     * ConcurrentHashMap$CounterCell, padded with @Contended, exist only then (almost always, not surely).
     */
    static final java.util.concurrent.atomic.LongAdder ADDER = new java.util.concurrent.atomic.LongAdder();
    static final java.util.concurrent.ConcurrentHashMap<Integer, Integer> COUNTED =
            new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Used once by the main thread and another (in build): the main thread's Exchanger$Node, padded with
     * @Contended, stays in its thread locals.
     */
    static final java.util.concurrent.Exchanger<Object> EXCHANGER = new java.util.concurrent.Exchanger<>();
    /** With a subscriber (in build): its SubmissionPublisher$BufferedSubscription, padded with @Contended. */
    static final java.util.concurrent.SubmissionPublisher<Object> PUBLISHER =
            new java.util.concurrent.SubmissionPublisher<>(Runnable::run, 8);

    /**
     * What a service's heap holds besides its own objects, one or a few of each (in build): regular expressions,
     * times, a proxy, a direct buffer and its cleaner, a deflater, method handles, locks and queues, streams, a
     * logger. Only for the layout test, which compares every class's size with the
     * JVM's own: the JDK's classes a test program never made are the ones whose layout goes untested.
     */
    static final List<Object> LIBRARY = new ArrayList<>();

    /** 1000 nodes of 100 bytes each, in a presized list: retained size known to the byte. */
    static final List<Node> KEEP = new ArrayList<>(1000);
    /** Two owners share one object: it is dominated by neither. */
    static final Owner[] OWNERS = {new Owner("left"), new Owner("right")};
    /** Grows on "links N": a chain of N links. */
    static Link LINKS;
    /** A linked chain of 500 nodes. */
    static Node CHAIN;
    /**
     * Arrays of classes nothing else in a JVM allocates (the outer ones), of known lengths: the layout test checks
     * their sizes against the JVM's own class histogram.
     */
    static final short[][] SHORTS = {new short[1], new short[3], new short[5]};
    static final double[][] DOUBLES = {new double[1], new double[3]};
    /** Grows on "grow N": the leak of the diff tests. */
    static final Map<Integer, Node> GROWING = new HashMap<>();
    /** Grows too, at a third of the rate: a second, independent leak under the same class. */
    static final List<byte[]> LISTENERS = new ArrayList<>();
    /** Grows on every "grow" by an eighth of the time before: a cache levelling off, not a leak. */
    static final Map<Integer, Node> CACHE = new HashMap<>();
    static int cacheShift;
    /** Fills once, then is replaced in place: no growth across dumps. */
    static final Map<Integer, Node> STEADY = new HashMap<>();
    static final String SECRET_A = "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789";
    static final String SECRET_B = "key=sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX0123";
    static final String SECRET_C = "AKIAIOSFODNN7EXAMPLE";

    private static void build() {
        // not in a static initializer: the task is a lambda of this class, which its worker would wait to initialise
        POOL.submit(() -> { }).join();
        Thread[] counters = new Thread[2];
        for (int t = 0; t < counters.length; t++) {
            int from = t * 100_000;
            counters[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    ADDER.increment();
                    COUNTED.put(from + i, i);
                    COUNTED.remove(from + i);
                }
            });
            counters[t].start();
        }
        Thread other = new Thread(() -> {
            try {
                EXCHANGER.exchange("theirs");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        try {
            EXCHANGER.exchange("ours");
            other.join();
            for (Thread t : counters) {
                t.join();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        PUBLISHER.subscribe(new java.util.concurrent.Flow.Subscriber<Object>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(Object item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        PUBLISHER.submit("item");
        library();
        for (int i = 0; i < 1000; i++) {
            KEEP.add(new Node(null, 100));
        }
        Shared s = new Shared();
        OWNERS[0].shared = s;
        OWNERS[1].shared = s;
        OWNERS[0].chain = new Node(null, 10);
        Node c = null;
        for (int i = 0; i < 500; i++) {
            c = new Node(c, 8);
        }
        CHAIN = c;
        for (int i = 0; i < 200; i++) {
            STEADY.put(i, new Node(null, 64));
        }
    }

    private static void library() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)a(b|c)+[d-f]\\s*\\d{2}").matcher("abcbD 42");
        LIBRARY.add(m.matches() ? m : null);
        LIBRARY.add(java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Paris")));
        LIBRARY.add(java.time.Duration.ofMillis(1234));
        LIBRARY.add(java.lang.reflect.Proxy.newProxyInstance(DumpTarget.class.getClassLoader(),
                new Class<?>[] {Runnable.class}, (proxy, method, a) -> null));
        LIBRARY.add(java.nio.ByteBuffer.allocateDirect(64));
        LIBRARY.add(new java.util.zip.Deflater());
        try {
            LIBRARY.add(java.lang.invoke.MethodHandles.lookup().findVirtual(String.class, "length",
                    java.lang.invoke.MethodType.methodType(int.class)));
            LIBRARY.add(java.lang.invoke.MethodHandles.insertArguments(java.lang.invoke.MethodHandles.lookup()
                    .findStatic(Math.class, "max", java.lang.invoke.MethodType.methodType(int.class, int.class,
                            int.class)), 0, 1));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        java.util.concurrent.ArrayBlockingQueue<Object> bounded = new java.util.concurrent.ArrayBlockingQueue<>(4);
        bounded.add("queued");
        LIBRARY.add(bounded);
        java.util.concurrent.LinkedBlockingQueue<Object> linked = new java.util.concurrent.LinkedBlockingQueue<>();
        linked.add("queued");
        LIBRARY.add(linked);
        LIBRARY.add(new java.util.concurrent.locks.ReentrantReadWriteLock());
        LIBRARY.add(new java.util.concurrent.locks.StampedLock());
        LIBRARY.add(new java.util.concurrent.Semaphore(2));
        LIBRARY.add(new java.util.concurrent.CountDownLatch(1));
        java.util.concurrent.ConcurrentSkipListMap<Integer, String> skip = new java.util.concurrent.ConcurrentSkipListMap<>();
        for (int i = 0; i < 8; i++) {
            skip.put(i, "v");
        }
        LIBRARY.add(skip);
        LIBRARY.add(new java.util.concurrent.CopyOnWriteArrayList<>(List.of("a", "b")));
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(List.of(3, 1, 2));
        LIBRARY.add(heap);
        java.util.ArrayDeque<Integer> deque = new java.util.ArrayDeque<>(List.of(1, 2));
        LIBRARY.add(deque);
        java.util.TreeMap<String, Integer> tree = new java.util.TreeMap<>(Map.of("x", 1, "y", 2));
        LIBRARY.add(tree);
        java.util.LinkedHashMap<String, Integer> ordered = new java.util.LinkedHashMap<>(Map.of("x", 1));
        LIBRARY.add(ordered);
        java.util.WeakHashMap<Object, Object> weak = new java.util.WeakHashMap<>();
        weak.put(KEEP, "held");
        LIBRARY.add(weak);
        LIBRARY.add(java.util.EnumSet.of(java.util.concurrent.TimeUnit.SECONDS));
        java.util.EnumMap<java.util.concurrent.TimeUnit, String> enums = new java.util.EnumMap<>(java.util.concurrent.TimeUnit.class);
        enums.put(java.util.concurrent.TimeUnit.DAYS, "d");
        LIBRARY.add(enums);
        java.util.BitSet bits = new java.util.BitSet();
        bits.set(100);
        LIBRARY.add(bits);
        java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
        LIBRARY.add(done.thenApply(x -> x + 1));
        done.complete(1);
        LIBRARY.add(java.util.stream.IntStream.range(0, 4).boxed().collect(java.util.stream.Collectors.toList()));
        LIBRARY.add(java.util.logging.Logger.getLogger("io.leakscope.heap.DumpTarget"));
        // not UUID.randomUUID(): its SecureRandom loads two classes the dump lists and the JVM's class histogram,
        // taken right after, no longer counts (the layout test compares the mirrors' count)
        LIBRARY.add(new java.util.UUID(42, 43));
        LIBRARY.add(new java.math.BigDecimal("12345678901234567890.123"));
        LIBRARY.add(java.net.URI.create("https://example.com/a?b=c"));
        LIBRARY.add(new java.util.concurrent.atomic.AtomicReference<>("x"));
        LIBRARY.add(new java.util.concurrent.atomic.AtomicLongArray(3));
        LIBRARY.add(ThreadLocal.withInitial(() -> 7));
        LIBRARY.add(java.util.Optional.of("x"));
        LIBRARY.add(new StringBuilder("built"));
        LIBRARY.add(java.nio.charset.StandardCharsets.UTF_8.newEncoder());
    }

    public static void main(String[] args) throws Exception {
        build(); // in a method of its own: no local of main holds any of it
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int next = 0;
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ", 2);
            switch (cmd[0]) {
                case "links" -> {
                    for (int i = Integer.parseInt(cmd[1]); i > 0; i--) {
                        Link l = new Link();
                        l.next = LINKS;
                        LINKS = l;
                    }
                }
                case "grow" -> {
                    int n = Integer.parseInt(cmd[1]);
                    for (int i = 0; i < n; i++) {
                        GROWING.put(next++, new Node(null, 512));
                        if (i % 2 == 0) {
                            LISTENERS.add(new byte[512]);
                        }
                    }
                    for (int i = 0; i < 200; i++) {
                        STEADY.put(i, new Node(null, 64));
                    }
                    if (n > 0) {
                        int add = n >> cacheShift; // 3000, 375, 46, ...
                        cacheShift += 3;
                        for (int i = 0; i < add; i++) {
                            CACHE.put(CACHE.size(), new Node(null, 4096));
                        }
                    }
                }
                case "dump" -> ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(cmd[1], true);
                case "dumpgz" -> {
                    // GC.heap_dump is not on the DiagnosticCommand MBean: ask jcmd, as a user would
                    String jcmd = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
                    Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.heap_dump",
                            "-gz=1", cmd[1]).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("jcmd failed");
                    }
                }
                case "exit" -> {
                    return;
                }
                default -> throw new IllegalArgumentException(line);
            }
            System.out.println("ok");
            System.out.flush();
        }
    }
}
