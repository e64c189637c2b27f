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
    public int[] preorder;
    /** Vertex of each preorder number; vertex[0] = -1 (the virtual root); entries from {@link #count} on are unused. */
    public final int[] vertex;
    /** Immediate dominator of each preorder number (idom[0] = 0); entries from {@link #count} on are unused. */
    public final int[] idom;
    /** Number of preorder numbers in use, the virtual root included. */
    public final int count;

    private Dominators(int[] preorder, int[] vertex, int[] idom, int count) {
        this.preorder = preorder;
        this.vertex = vertex;
        this.idom = idom;
        this.count = count;
    }

    /** For a user that no longer looks vertices up by number, and needs the memory. */
    public void dropPreorder() {
        preorder = null;
    }

    /**
     * @param n     vertices 0..n-1
     * @param start successors of v are {@code edges[start[v] .. start[v+1])}
     * @param roots successors of the virtual root
     */
    public static Dominators compute(int n, int[] start, int[] edges, int[] roots) {
        return compute(n, start, edges, roots, null);
    }

    /**
     * The same; {@code edgesRead}, when given, runs once the graph's arrays are no longer read (after the
     * predecessor lists are built), so a caller can let go of them for the rest of the pass.
     */
    public static Dominators compute(int n, int[] start, int[] edges, int[] roots, Runnable edgesRead) {
        int[] pre = new int[n];
        java.util.Arrays.fill(pre, -1);
        int[] vertex = new int[n + 1];
        int[] parent = new int[n + 1];
        vertex[0] = -1;
        int count = 1;
        // iterative DFS: stack of vertices with the next edge to look at
        int[] stackV = new int[64];
        int[] stackE = new int[64];
        for (int r : roots) {
            if (pre[r] >= 0) {
                continue;
            }
            pre[r] = count;
            vertex[count] = r;
            parent[count] = 0;
            count++;
            int sp = 0;
            stackV[0] = r;
            stackE[0] = start[r];
            sp = 1;
            while (sp > 0) {
                int v = stackV[sp - 1];
                int e = stackE[sp - 1];
                if (e == start[v + 1]) {
                    sp--;
                    continue;
                }
                stackE[sp - 1] = e + 1;
                int w = edges[e];
                if (pre[w] < 0) {
                    pre[w] = count;
                    vertex[count] = w;
                    parent[count] = pre[v];
                    count++;
                    if (sp == stackV.length) {
                        stackV = java.util.Arrays.copyOf(stackV, sp * 2);
                        stackE = java.util.Arrays.copyOf(stackE, sp * 2);
                    }
                    stackV[sp] = w;
                    stackE[sp] = start[w];
                    sp++;
                }
            }
        }
        // predecessors in preorder numbers, CSR
        int[] predStart = new int[count + 1];
        for (int p = 1; p < count; p++) {
            int v = vertex[p];
            for (int e = start[v], end = start[v + 1]; e < end; e++) {
                predStart[pre[edges[e]] + 1]++;
            }
        }
        for (int r : roots) {
            predStart[pre[r] + 1]++;
        }
        for (int p = 0; p < count; p++) {
            predStart[p + 1] += predStart[p];
        }
        int[] preds = new int[predStart[count]];
        // predStart[q] serves as q's fill cursor, which leaves it at q's end: shifted back afterwards
        for (int r : roots) {
            preds[predStart[pre[r]]++] = 0;
        }
        for (int p = 1; p < count; p++) {
            int v = vertex[p];
            for (int e = start[v], end = start[v + 1]; e < end; e++) {
                preds[predStart[pre[edges[e]]]++] = p;
            }
        }
        System.arraycopy(predStart, 0, predStart, 1, count);
        predStart[0] = 0;
        if (edgesRead != null) {
            start = null;
            edges = null;
            edgesRead.run();
        }
        // semidominators by path-compressed eval over processed vertices, in reverse preorder
        int[] semi = new int[count];
        int[] label = new int[count];
        int[] ancestor = new int[count];
        for (int p = 0; p < count; p++) {
            semi[p] = p;
            label[p] = p;
            ancestor[p] = -1;
        }
        int[] path = new int[64];
        for (int w = count - 1; w >= 1; w--) {
            int s = semi[w];
            for (int k = predStart[w], end = predStart[w + 1]; k < end; k++) {
                int v = preds[k];
                int u;
                if (ancestor[v] < 0) {
                    u = v; // not processed yet (v < w) or the virtual root
                } else {
                    // compress the ancestor path of v, then label[v] holds the smallest semi on it
                    int depth = 0;
                    int x = v;
                    while (ancestor[ancestor[x]] >= 0) {
                        if (depth == path.length) {
                            path = java.util.Arrays.copyOf(path, depth * 2);
                        }
                        path[depth++] = x;
                        x = ancestor[x];
                    }
                    for (int i = depth - 1; i >= 0; i--) {
                        int y = path[i];
                        int a = ancestor[y];
                        if (semi[label[a]] < semi[label[y]]) {
                            label[y] = label[a];
                        }
                        ancestor[y] = ancestor[a];
                    }
                    u = label[v];
                }
                if (semi[u] < s) {
                    s = semi[u];
                }
            }
            semi[w] = s;
            ancestor[w] = parent[w];
        }
        // label is done with: idom takes its place (idom[w] is written before any later w reads it)
        int[] idom = label;
        label = null;
        ancestor = null;
        idom[0] = 0;
        for (int w = 1; w < count; w++) {
            int d = parent[w];
            while (d > semi[w]) {
                d = idom[d];
            }
            idom[w] = d;
        }
        return new Dominators(pre, vertex, idom, count);
    }
}
