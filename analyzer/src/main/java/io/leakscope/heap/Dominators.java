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
    /**
     * Preorder number of each vertex, -1 when unreachable; null once {@link #dropPreorder()} was called, and
     * from the start when the pass was computed letting go of the graph.
     */
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
     * go of them for the rest of the pass. Given, it also means that {@code edges} may be overwritten (its
     * contents are not to be used afterwards), and that the result has no numbering by vertex ({@link
     * #preorderOf} is not to be called).
     */
    static Dominators compute(int n, IntArray start, IntArray edges, int[] roots, Runnable edgesRead,
                              ArraySpace space) {
        // one loop to a method: the JIT compiles each once, instead of compiling the whole pass again at each
        // loop's exit (what it did, on-stack, nine times per dump, a tenth of a small dump's time)
        IntArray pre = space.ints(n);
        pre.fill(-1);
        IntArray vertex = space.ints(n + 1);
        IntArray parent = space.ints(n + 1);
        vertex.set(0, -1);
        int count = depthFirst(start, edges, roots, pre, vertex, parent);
        // predecessors in preorder numbers, CSR
        // both passes walk the vertices in their own order, not in preorder, so the graph's arrays are read front
        // to back instead of at random (the order of a vertex's predecessors does not matter); a caller that lets
        // go of the graph afterwards gets each edge's target replaced by its preorder number on the first pass,
        // which spares the second a random read per edge
        IntArray predStart = space.ints(count + 1);
        boolean overwrite = edgesRead != null;
        countPredecessors(n, start, edges, roots, pre, predStart, overwrite);
        predStart.countsToStarts(count);
        IntArray preds = space.ints(predStart.get(count));
        // predStart[q] serves as q's fill cursor, which leaves it at q's end: shifted back afterwards
        fillPredecessors(n, start, edges, roots, pre, predStart, preds, overwrite);
        predStart.copyWithin(0, 1, count);
        predStart.set(0, 0);
        if (space.isMapped() || edgesRead != null) {
            // the numbering by vertex is not read again in this pass: 4 bytes an object off its peak. A caller
            // that lets go of the graph gets none (it finds the few objects it asks about by scanning `vertex`);
            // otherwise it is rebuilt from `vertex` at the end
            space.release(pre);
            pre = null;
        }
        if (edgesRead != null) {
            start = null;
            edges = null;
            edgesRead.run();
            // the references and the numbering by vertex: 8 bytes an object and 8 a reference
            space.reclaimHeap(8L * n + 8L * preds.length);
        }
        LongArray forest = space.longs(count);
        semidominators(count, predStart, preds, parent, forest);
        space.release(forest);
        space.release(preds);
        forest = null;
        preds = null;
        IntArray idom = space.ints(count);
        immediateDominators(count, parent, predStart, idom);
        space.release(predStart);
        space.release(parent);
        if (pre == null && edgesRead == null) {
            pre = space.ints(n);
            pre.fill(-1);
            numberVertices(count, vertex, pre);
        }
        return new Dominators(pre, vertex, idom, count, space);
    }

    /**
     * Semi-NCA's last step: each vertex's idom is its parent's nearest tree ancestor at or above its semi, which
     * {@link #semidominators} left in {@code semiAfter[w + 1]}.
     */
    private static void immediateDominators(int count, IntArray parent, IntArray semiAfter, IntArray idom) {
        for (int w = 1; w < count; w++) {
            int d = parent.get(w);
            while (d > semiAfter.get(w + 1)) {
                d = idom.get(d);
            }
            idom.set(w, d);
        }
    }

    private static void numberVertices(int count, IntArray vertex, IntArray pre) {
        for (int p = 1; p < count; p++) {
            pre.set(vertex.get(p), p);
        }
    }

    /** Numbers the vertices reachable from the roots in DFS preorder from 1; returns one past the last number. */
    private static int depthFirst(IntArray start, IntArray edges, int[] roots, IntArray pre, IntArray vertex,
                                  IntArray parent) {
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
        return count;
    }

    /** Counts each preorder number's predecessors into {@code predStart[p + 1]}. */
    private static void countPredecessors(int n, IntArray start, IntArray edges, int[] roots, IntArray pre,
                                          IntArray predStart, boolean overwrite) {
        for (int v = 0; v < n; v++) {
            if (pre.get(v) < 0) {
                continue;
            }
            for (int e = start.get(v), end = start.get(v + 1); e < end; e++) {
                int t = pre.get(edges.get(e));
                if (overwrite) {
                    edges.set(e, t);
                }
                predStart.getAndAdd(t + 1, 1);
            }
        }
        for (int r : roots) {
            predStart.getAndAdd(pre.get(r) + 1, 1);
        }
    }

    private static void fillPredecessors(int n, IntArray start, IntArray edges, int[] roots, IntArray pre,
                                         IntArray predStart, IntArray preds, boolean overwrite) {
        for (int r : roots) {
            preds.set(predStart.getAndAdd(pre.get(r), 1), 0);
        }
        for (int v = 0; v < n; v++) {
            int p = pre.get(v);
            if (p < 0) {
                continue;
            }
            for (int e = start.get(v), end = start.get(v + 1); e < end; e++) {
                preds.set(predStart.getAndAdd(overwrite ? edges.get(e) : pre.get(edges.get(e)), 1), p);
            }
        }
    }

    /**
     * Semidominators by path-compressed eval over processed vertices, in reverse preorder. Semi-NCA needs only the
     * smallest semidominator on a path, not the vertex that has it, so the forest keeps that value itself (no
     * label → semi indirection), next to the ancestor link in the same long: one cache line per vertex visited
     * while compressing. High half: ancestor (-1 for none); low half: the smallest semi. Each vertex's semi goes
     * in {@code predStart[w + 1]}, which only w's predecessor range had read (vertices go down from the last):
     * no table of its own, 4 bytes an object off the dominator pass's peak.
     */
    private static void semidominators(int count, IntArray predStart, IntArray preds, IntArray parent,
                                       LongArray forest) {
        for (int p = 0; p < count; p++) {
            forest.set(p, 0xFFFF_FFFF_0000_0000L | p);
        }
        int[] path = new int[64];
        for (int w = count - 1; w >= 1; w--) {
            int s = w;
            for (int k = predStart.get(w), end = predStart.get(w + 1); k < end; k++) {
                int v = preds.get(k);
                long fv = forest.get(v);
                int u;
                if (fv < 0) {
                    u = v; // not processed yet (v < w, so its semi is v) or the virtual root
                } else {
                    // compress the ancestor path of v; then v's low half holds the smallest semi on it
                    int depth = 0;
                    int x = v;
                    long fx = fv;
                    long fa = forest.get((int) (fx >>> 32));
                    while (fa >= 0) {
                        if (depth == path.length) {
                            path = java.util.Arrays.copyOf(path, depth * 2);
                        }
                        path[depth++] = x;
                        x = (int) (fx >>> 32);
                        fx = fa;
                        fa = forest.get((int) (fx >>> 32));
                    }
                    // x is the last vertex whose ancestor is a root of the forest: its entry is already right
                    for (int i = depth - 1; i >= 0; i--) {
                        int y = path[i];
                        long fy = forest.get(y);
                        long fz = forest.get((int) (fy >>> 32));
                        int best = Math.min((int) fy, (int) fz);
                        forest.set(y, (fz & 0xFFFF_FFFF_0000_0000L) | best);
                    }
                    u = (int) forest.get(v);
                }
                if (u < s) {
                    s = u;
                }
            }
            predStart.set(w + 1, s);
            forest.set(w, (long) parent.get(w) << 32 | s);
        }
    }
}
