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
