package io.leakscope.bench;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds a live heap of about the asked size from millions of small objects (sessions holding lists of
 * events with prev chains, hash maps of items, linked chains, tree maps, a global cache with cross edges) and
 * dumps it. Deterministic (seed 42). Usage: HeapGen SIZE_MB OUT.hprof (OUT.hprof.gz: as jcmd -gz=1 writes it)
 */
public final class HeapGen {
    static final class Event {
        Event prev;
        final double[] metrics = new double[4];
        Item item;
        final long at;

        Event(long at) {
            this.at = at;
        }
    }

    static final class Item {
        final String sku;
        final byte[] blob;

        Item(String sku, int size) {
            this.sku = sku;
            this.blob = new byte[size];
        }
    }

    static final class Node {
        Node next;
        final int value;

        Node(Node next, int value) {
            this.next = next;
            this.value = value;
        }
    }

    static final class Session {
        final List<Event> events = new ArrayList<>();
        final Map<Long, Item> items = new HashMap<>();
        final TreeMap<Integer, Event> index = new TreeMap<>();
        Node chain;
        byte[] payload;
    }

    static final List<Session> SESSIONS = new ArrayList<>();
    static final Map<Integer, Event> CACHE = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        long target = Long.parseLong(args[0]) << 20;
        Random rnd = new Random(42);
        Runtime rt = Runtime.getRuntime();
        int cacheKey = 0;
        while (true) {
            for (int b = 0; b < 200; b++) {
                Session s = new Session();
                Event prev = null;
                for (int i = 0; i < 40; i++) {
                    s.items.put((long) i, new Item("sku-" + rnd.nextInt(1_000_000), 16 + rnd.nextInt(64)));
                }
                for (int i = 0; i < 150; i++) {
                    Event e = new Event(i);
                    e.prev = prev;
                    prev = e;
                    if (rnd.nextInt(10) == 0 && !SESSIONS.isEmpty()) {
                        e.item = SESSIONS.get(rnd.nextInt(SESSIONS.size())).items.get((long) rnd.nextInt(40));
                    } else {
                        e.item = s.items.get((long) rnd.nextInt(40));
                    }
                    s.events.add(e);
                    if (i % 5 == 0) {
                        s.index.put(i, e);
                    }
                    if (rnd.nextInt(100) == 0) {
                        CACHE.put(cacheKey++, e);
                    }
                }
                for (int i = 0; i < 80; i++) {
                    s.chain = new Node(s.chain, i);
                }
                s.payload = new byte[2048 + rnd.nextInt(4096)];
                SESSIONS.add(s);
            }
            if (rt.totalMemory() - rt.freeMemory() > target) {
                System.gc();
                if (rt.totalMemory() - rt.freeMemory() > target) {
                    break;
                }
            }
        }
        System.out.println("sessions " + SESSIONS.size() + ", used " + ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MB");
        if (args[1].endsWith(".gz")) {
            // compressed as HotSpot does it (jcmd -gz): independent gzip members of 1 MiB, which the reader can
            // read in parallel parts; only jcmd asks the JVM for that, so this JVM runs jcmd on itself
            String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.heap_dump",
                    "-gz=1", args[1]).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("jcmd GC.heap_dump -gz=1 failed: exit " + p.exitValue());
            }
            return;
        }
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[1], true);
    }
}
