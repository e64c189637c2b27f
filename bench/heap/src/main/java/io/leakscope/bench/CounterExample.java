package io.leakscope.bench;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * LeakCanary's counter-example to Shark's BFS dominators as real objects: A→b, A→c, D→e, e→b, b→c, with A
 * and D static fields. Every object carries a byte[] of a distinct size so it can be told apart in either
 * tool's output. By definition c is dominated only by the class (the path D→e→b→c avoids A).
 * Usage: CounterExample OUT.hprof
 */
public final class CounterExample {
    static final class Obj {
        final byte[] payload;
        Obj x;
        Obj y;

        Obj(int size) {
            payload = new byte[size];
        }
    }

    // declared in this order so that HotSpot writes A before D and Shark's BFS meets a's children first
    static Obj D;
    static Obj A;

    public static void main(String[] args) throws Exception {
        Obj a = new Obj(1000);
        Obj b = new Obj(20_000);
        Obj c = new Obj(400_000);
        Obj d = new Obj(3000);
        Obj e = new Obj(5000);
        a.x = b;
        a.y = c;
        d.x = e;
        e.x = b;
        b.x = c;
        A = a;
        D = d;
        a = b = c = d = e = null;
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
