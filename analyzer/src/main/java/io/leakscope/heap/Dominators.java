package io.leakscope.heap;

/**
 * Exact immediate dominators by semi-NCA (Georgiadis, Tarjan &amp; Werneck), iterative throughout, over a graph in
 * CSR form with a virtual root whose successors are the given roots.
 * <p>
 * Vertices reachable from the virtual root get a DFS preorder number 1..count-1 (0 is the virtual root);
 * {@link #idom} is in preorder numbers, and {@code idom[p] < p}, so children come after their dominator and
 * sums over the tree are one backward loop.
 */
public final class Dominators {
    /** Preorder number of each vertex, -1 when unreachable; null once {@link #dropPreorder()} was called. */
    IntArray preorder;
    /** Vertex of each preorder number; vertex[0] = -1 (the virtual root); entries from {@link #count} on are unused. */
    final IntArray vertex;
    /** Immediate dominator of each preorder number (idom[0] = 0); entries from {@link #count} on are unused. */
    final IntArray idom;
    /** Number of preorder numbers in use, the virtual root included. */
    public final int count;
    private final ArraySpace space;

    private Dominators(IntArray preorder, IntArray vertex, IntArray idom, int count, ArraySpace space) {
        this.space = space;
        this.preorder = preorder;
        this.vertex = vertex;
        this.idom = idom;
        this.count = count;
    }

    /** For a user that no longer looks vertices up by number, and needs the memory. */
    public void dropPreorder() {
        space.release(preorder);
        preorder = null;
    }

    /** Preorder number of vertex {@code v}, -1 when unreachable. */
    public int preorderOf(int v) {
        return preorder.get(v);
    }

    /** Vertex of preorder number {@code p} (-1 for the virtual root 0). */
    public int vertexOf(int p) {
        return vertex.get(p);
    }

    /** Immediate dominator of preorder number {@code p}, as a preorder number. */
    public int idomOf(int p) {
        return idom.get(p);
    }

    /**
     * @param n     vertices 0..n-1
     * @param start successors of v are {@code edges[start[v] .. start[v+1])}
     * @param roots successors of the virtual root
     */
    public static Dominators compute(int n, int[] start, int[] edges, int[] roots) {
        return compute(n, IntArray.of(start), IntArray.of(edges), roots, null, ArraySpace.HEAP);
    }

    /**
     * The same with the graph and the pass's own tables in {@code space}; {@code edgesRead}, when given, runs
     * once the graph's arrays are no longer read (after the predecessor lists are built), so a caller can let
     * go of them for the rest of the pass.
     */
    static Dominators compute(int n, IntArray start, IntArray edges, int[] roots, Runnable edgesRead,
                              ArraySpace space) {
        IntArray pre = space.ints(n);
        pre.fill(-1);
        IntArray vertex = space.ints(n + 1);
        IntArray parent = space.ints(n + 1);
        vertex.set(0, -1);
        int count = 1;
        // iterative DFS: stack of vertices with the next edge to look at
        int[] stackV = new int[64];
        int[] stackE = new int[64];
        for (int r : roots) {
            if (pre.get(r) >= 0) {
                continue;
            }
            pre.set(r, count);
            vertex.set(count, r);
            parent.set(count, 0);
            count++;
            int sp = 0;
            stackV[0] = r;
            stackE[0] = start.get(r);
            sp = 1;
            while (sp > 0) {
                int v = stackV[sp - 1];
                int e = stackE[sp - 1];
                if (e == start.get(v + 1)) {
                    sp--;
                    continue;
                }
                stackE[sp - 1] = e + 1;
                int w = edges.get(e);
                if (pre.get(w) < 0) {
                    pre.set(w, count);
                    vertex.set(count, w);
                    parent.set(count, pre.get(v));
                    count++;
                    if (sp == stackV.length) {
                        stackV = java.util.Arrays.copyOf(stackV, sp * 2);
                        stackE = java.util.Arrays.copyOf(stackE, sp * 2);
                    }
                    stackV[sp] = w;
                    stackE[sp] = start.get(w);
                    sp++;
                }
            }
        }
        // predecessors in preorder numbers, CSR
        IntArray predStart = space.ints(count + 1);
        for (int p = 1; p < count; p++) {
            int v = vertex.get(p);
            for (int e = start.get(v), end = start.get(v + 1); e < end; e++) {
                predStart.getAndAdd(pre.get(edges.get(e)) + 1, 1);
            }
        }
        for (int r : roots) {
            predStart.getAndAdd(pre.get(r) + 1, 1);
        }
        for (int p = 0; p < count; p++) {
            predStart.set(p + 1, predStart.get(p + 1) + predStart.get(p));
        }
        IntArray preds = space.ints(predStart.get(count));
        // predStart[q] serves as q's fill cursor, which leaves it at q's end: shifted back afterwards
        for (int r : roots) {
            preds.set(predStart.getAndAdd(pre.get(r), 1), 0);
        }
        for (int p = 1; p < count; p++) {
            int v = vertex.get(p);
            for (int e = start.get(v), end = start.get(v + 1); e < end; e++) {
                preds.set(predStart.getAndAdd(pre.get(edges.get(e)), 1), p);
            }
        }
        predStart.copyWithin(0, 1, count);
        predStart.set(0, 0);
        if (edgesRead != null) {
            start = null;
            edges = null;
            edgesRead.run();
        }
        if (space.isMapped()) {
            // mapped, this pass is the peak of mapped bytes: the numbering by vertex is not read again until the
            // end, where it is rebuilt from `vertex` (on the heap the peak comes after this pass: kept)
            space.release(pre);
            pre = null;
        }
        // semidominators by path-compressed eval over processed vertices, in reverse preorder
        IntArray semi = space.ints(count);
        IntArray label = space.ints(count);
        IntArray ancestor = space.ints(count);
        for (int p = 0; p < count; p++) {
            semi.set(p, p);
            label.set(p, p);
            ancestor.set(p, -1);
        }
        int[] path = new int[64];
        for (int w = count - 1; w >= 1; w--) {
            int s = semi.get(w);
            for (int k = predStart.get(w), end = predStart.get(w + 1); k < end; k++) {
                int v = preds.get(k);
                int u;
                if (ancestor.get(v) < 0) {
                    u = v; // not processed yet (v < w) or the virtual root
                } else {
                    // compress the ancestor path of v, then label[v] holds the smallest semi on it
                    int depth = 0;
                    int x = v;
                    while (ancestor.get(ancestor.get(x)) >= 0) {
                        if (depth == path.length) {
                            path = java.util.Arrays.copyOf(path, depth * 2);
                        }
                        path[depth++] = x;
                        x = ancestor.get(x);
                    }
                    for (int i = depth - 1; i >= 0; i--) {
                        int y = path[i];
                        int a = ancestor.get(y);
                        if (semi.get(label.get(a)) < semi.get(label.get(y))) {
                            label.set(y, label.get(a));
                        }
                        ancestor.set(y, ancestor.get(a));
                    }
                    u = label.get(v);
                }
                if (semi.get(u) < s) {
                    s = semi.get(u);
                }
            }
            semi.set(w, s);
            ancestor.set(w, parent.get(w));
        }
        // label is done with: idom takes its place (idom[w] is written before any later w reads it)
        IntArray idom = label;
        label = null;
        space.release(ancestor);
        space.release(predStart);
        space.release(preds);
        ancestor = null;
        predStart = null;
        preds = null;
        idom.set(0, 0);
        for (int w = 1; w < count; w++) {
            int d = parent.get(w);
            while (d > semi.get(w)) {
                d = idom.get(d);
            }
            idom.set(w, d);
        }
        space.release(semi);
        space.release(parent);
        if (pre == null) {
            pre = space.ints(n);
            pre.fill(-1);
            for (int p = 1; p < count; p++) {
                pre.set(vertex.get(p), p);
            }
        }
        return new Dominators(pre, vertex, idom, count, space);
    }
}
