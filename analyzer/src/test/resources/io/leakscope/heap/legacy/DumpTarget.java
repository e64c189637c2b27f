package io.leakscope.heap;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

/**
 * DumpTarget's heap of known shape in Java 8 source, which the layout tests compile with JDK 8's and JDK 11's own
 * javac and dump in their JVMs (the test classes are built for 17). stdin: "dump FILE" (answered "ok").
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

    /** 1000 nodes of 100 bytes each, in a presized list: retained size known to the byte. */
    static final List<Node> KEEP = new ArrayList<Node>(1000);
    /** Arrays of classes nothing else in a small JVM allocates (the outer ones), of known lengths. */
    static final short[][] SHORTS = {new short[1], new short[3], new short[5]};
    static final double[][] DOUBLES = {new double[1], new double[3]};
    /** A pool that has run a task (in main): classes the JDK pads with @Contended, ForkJoinPool and WorkQueue. */
    static final ForkJoinPool POOL = new ForkJoinPool(1);
    /** Counted by two threads at once (in main): Striped64$Cell and CounterCell, padded, exist only then. */
    static final LongAdder ADDER = new LongAdder();
    static final ConcurrentHashMap<Integer, Integer> COUNTED = new ConcurrentHashMap<Integer, Integer>();
    /** Used once by main and another thread (in main): main's Exchanger$Node, padded, stays in its thread locals. */
    static final Exchanger<Object> EXCHANGER = new Exchanger<Object>();
    /** A little of what a service's heap holds besides its own objects (in main), as in the modern target. */
    static final List<Object> LIBRARY = new ArrayList<Object>();

    private static void library() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)a(b|c)+[d-f]\\s*\\d{2}").matcher("abcbD 42");
        LIBRARY.add(m.matches() ? m : null);
        LIBRARY.add(java.util.TimeZone.getTimeZone("Europe/Paris"));
        LIBRARY.add(java.lang.reflect.Proxy.newProxyInstance(DumpTarget.class.getClassLoader(),
                new Class<?>[] {Runnable.class}, new java.lang.reflect.InvocationHandler() {
                    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] a) {
                        return null;
                    }
                }));
        LIBRARY.add(java.nio.ByteBuffer.allocateDirect(64));
        LIBRARY.add(new java.util.zip.Deflater());
        LIBRARY.add(java.lang.invoke.MethodHandles.lookup().findVirtual(String.class, "length",
                java.lang.invoke.MethodType.methodType(int.class)));
        java.util.concurrent.ArrayBlockingQueue<Object> bounded = new java.util.concurrent.ArrayBlockingQueue<Object>(4);
        bounded.add("queued");
        LIBRARY.add(bounded);
        java.util.concurrent.LinkedBlockingQueue<Object> linked = new java.util.concurrent.LinkedBlockingQueue<Object>();
        linked.add("queued");
        LIBRARY.add(linked);
        LIBRARY.add(new java.util.concurrent.locks.ReentrantReadWriteLock());
        LIBRARY.add(new java.util.concurrent.locks.StampedLock());
        LIBRARY.add(new java.util.concurrent.Semaphore(2));
        LIBRARY.add(new java.util.concurrent.CountDownLatch(1));
        java.util.concurrent.ConcurrentSkipListMap<Integer, String> skip =
                new java.util.concurrent.ConcurrentSkipListMap<Integer, String>();
        java.util.TreeMap<Integer, String> tree = new java.util.TreeMap<Integer, String>();
        java.util.LinkedHashMap<Integer, String> ordered = new java.util.LinkedHashMap<Integer, String>();
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<Integer>();
        java.util.ArrayDeque<Integer> deque = new java.util.ArrayDeque<Integer>();
        for (int i = 0; i < 8; i++) {
            skip.put(i, "v");
            tree.put(i, "v");
            ordered.put(i, "v");
            heap.add(i);
            deque.add(i);
        }
        LIBRARY.add(skip);
        LIBRARY.add(tree);
        LIBRARY.add(ordered);
        LIBRARY.add(heap);
        LIBRARY.add(deque);
        LIBRARY.add(new java.util.concurrent.CopyOnWriteArrayList<Object>(new Object[] {"a", "b"}));
        java.util.WeakHashMap<Object, Object> weak = new java.util.WeakHashMap<Object, Object>();
        weak.put(KEEP, "held");
        LIBRARY.add(weak);
        LIBRARY.add(java.util.EnumSet.of(java.util.concurrent.TimeUnit.SECONDS));
        java.util.EnumMap<java.util.concurrent.TimeUnit, String> enums =
                new java.util.EnumMap<java.util.concurrent.TimeUnit, String>(java.util.concurrent.TimeUnit.class);
        enums.put(java.util.concurrent.TimeUnit.DAYS, "d");
        LIBRARY.add(enums);
        java.util.BitSet bits = new java.util.BitSet();
        bits.set(100);
        LIBRARY.add(bits);
        java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<Integer>();
        LIBRARY.add(done.thenApply(new java.util.function.Function<Integer, Integer>() {
            public Integer apply(Integer x) {
                return x + 1;
            }
        }));
        done.complete(1);
        LIBRARY.add(java.util.logging.Logger.getLogger("io.leakscope.heap.DumpTarget"));
        LIBRARY.add(new java.util.UUID(42, 43));
        LIBRARY.add(new java.math.BigDecimal("12345678901234567890.123"));
        LIBRARY.add(java.net.URI.create("https://example.com/a?b=c"));
        LIBRARY.add(new java.util.concurrent.atomic.AtomicReference<Object>("x"));
        LIBRARY.add(new java.util.concurrent.atomic.AtomicLongArray(3));
        LIBRARY.add(new StringBuilder("built"));
        LIBRARY.add(java.nio.charset.Charset.forName("UTF-8").newEncoder());
    }

    public static void main(String[] args) throws Exception {
        POOL.submit(new Runnable() {
            public void run() {
            }
        }).get();
        Thread[] counters = new Thread[2];
        for (int t = 0; t < counters.length; t++) {
            final int from = t * 100000;
            counters[t] = new Thread(new Runnable() {
                public void run() {
                    for (int i = 0; i < 100000; i++) {
                        ADDER.increment();
                        COUNTED.put(from + i, i);
                        COUNTED.remove(from + i);
                    }
                }
            });
            counters[t].start();
        }
        Thread other = new Thread(new Runnable() {
            public void run() {
                try {
                    EXCHANGER.exchange("theirs");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        other.start();
        EXCHANGER.exchange("ours");
        other.join();
        for (Thread t : counters) {
            t.join();
        }
        library();
        for (int i = 0; i < 1000; i++) {
            KEEP.add(new Node(null, 100));
        }
        // held by main's frame alone: the dump names this line's method as its root
        byte[] held = new byte[4321];
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ", 2);
            if (cmd[0].equals("dump")) {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(cmd[1], true);
            } else if (!cmd[0].equals("exit")) {
                throw new IllegalArgumentException(line);
            } else {
                break;
            }
            held[0]++;
            System.out.println("ok");
            System.out.flush();
        }
    }
}
