package io.leakscope.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semi-NCA against the definition: d dominates w iff w is unreachable from the roots once d is removed. */
class DominatorsTest {

    @Test
    void matchesBruteForceOnThousandsOfRandomGraphs() {
        Random rnd = new Random(20261124L);
        for (int iter = 0; iter < 3000; iter++) {
            int n = 1 + rnd.nextInt(14);
            int m = rnd.nextInt(3 * n + 1);
            List<int[]> edgeList = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                edgeList.add(new int[]{rnd.nextInt(n), rnd.nextInt(n)});
            }
            int[] start = new int[n + 1];
            for (int[] e : edgeList) {
                start[e[0] + 1]++;
            }
            for (int i = 0; i < n; i++) {
                start[i + 1] += start[i];
            }
            int[] edges = new int[m];
            int[] fill = Arrays.copyOf(start, n);
            for (int[] e : edgeList) {
                edges[fill[e[0]]++] = e[1];
            }
            int nr = 1 + rnd.nextInt(Math.max(1, n / 3));
            int[] roots = new int[nr];
            for (int i = 0; i < nr; i++) {
                roots[i] = rnd.nextInt(n); // repeats allowed, as in dumps
            }
            int[] expected = bruteForceIdom(n, start, edges, roots);
            // both ways: graph kept, and graph let go of (then the pass overwrites the edges it has read)
            boolean[] released = new boolean[1];
            List<Dominators> ways = List.of(Dominators.compute(n, start, edges, roots),
                    Dominators.compute(n, IntArray.of(start), IntArray.of(edges.clone()), roots,
                            () -> released[0] = true, ArraySpace.HEAP));
            for (Dominators d : ways) {
                // by preorder number, which both ways have (the numbering by vertex only the first)
                int[] got = new int[n];
                Arrays.fill(got, -2);
                for (int p = 1; p < d.count; p++) {
                    got[d.vertexOf(p)] = d.idomOf(p) == 0 ? -1 : d.vertexOf(d.idomOf(p));
                }
                for (int v = 0; v < n; v++) {
                    assertEquals(expected[v], got[v], "graph " + iter + " vertex " + v + " edges " + edgesText(edgeList)
                            + " roots " + Arrays.toString(roots) + (d == ways.get(1) ? ", edges overwritten" : ""));
                    if (d.preorder != null) {
                        int p = d.preorderOf(v);
                        assertEquals(expected[v] != -2, p > 0);
                        assertTrue(p < 0 || d.vertexOf(p) == v);
                    }
                }
                assertEquals(d == ways.get(1), d.preorder == null); // none when the graph is let go of
            }
            assertTrue(released[0]);
        }
    }

    /** Tables in mapped files, in pages of 1,024 ints, give the same tree as heap arrays on a graph of 50,000. */
    @Test
    void mappedTablesGiveTheSameTree(@TempDir Path tmp) {
        Random rnd = new Random(7);
        int n = 50_000;
        int[] start = new int[n + 1];
        int[] edges = new int[3 * n];
        for (int v = 0; v < n; v++) {
            int k = rnd.nextInt(4);
            for (int i = 0; i < k; i++) {
                edges[start[v] + i] = rnd.nextInt(n);
            }
            start[v + 1] = start[v] + k;
        }
        int[] roots = {0, 17, 4242, 17, n - 1};
        Dominators heap = Dominators.compute(n, IntArray.of(start), IntArray.of(edges), roots, null, ArraySpace.HEAP);
        ArraySpace space = ArraySpace.mapped(tmp, 12);
        IntArray mappedStart = space.ints(n + 1);
        IntArray mappedEdges = space.ints(edges.length);
        for (int i = 0; i <= n; i++) {
            mappedStart.set(i, start[i]);
        }
        for (int i = 0; i < edges.length; i++) {
            mappedEdges.set(i, edges[i]);
        }
        boolean[] released = new boolean[1];
        Dominators mapped = Dominators.compute(n, mappedStart, mappedEdges, roots, () -> released[0] = true, space);
        assertTrue(mapped.vertex.isMapped() && mapped.idom.isMapped() && released[0]);
        assertTrue(heap.count > n / 2, "reachable: " + heap.count);
        assertEquals(heap.count, mapped.count);
        assertEquals(null, mapped.preorder); // the graph was let go of: no numbering by vertex
        assertArrayEquals(heap.vertex.toArray(heap.count), mapped.vertex.toArray(heap.count));
        assertArrayEquals(heap.idom.toArray(heap.count), mapped.idom.toArray(heap.count));
        assertEquals(List.of(), space.takeProblems());
    }

    @Test
    void leakCanaryCounterExampleIsExact() {
        // root→a, root→d, a→b, a→c, d→e, e→b, b→c: idom(c) is the root, a BFS approximation says a
        int a = 0, b = 1, c = 2, dd = 3, e = 4;
        int[][] adj = {{b, c}, {c}, {}, {e}, {b}};
        int[] start = new int[6];
        List<Integer> edges = new ArrayList<>();
        for (int v = 0; v < 5; v++) {
            for (int w : adj[v]) {
                edges.add(w);
            }
            start[v + 1] = edges.size();
        }
        Dominators d = Dominators.compute(5, start, edges.stream().mapToInt(Integer::intValue).toArray(), new int[]{a, dd});
        assertEquals(0, d.idomOf(d.preorderOf(c)));
        assertEquals(0, d.idomOf(d.preorderOf(b)));
        assertEquals(d.preorderOf(dd), d.idomOf(d.preorderOf(e)));
    }

    @Test
    void deepChainNeedsNoRecursion() {
        int n = 2_000_000;
        int[] start = new int[n + 1];
        int[] edges = new int[n - 1];
        for (int v = 0; v < n; v++) {
            start[v + 1] = Math.min(v + 1, n - 1);
        }
        for (int v = 0; v < n - 1; v++) {
            edges[v] = v + 1;
        }
        Dominators d = Dominators.compute(n, start, edges, new int[]{0});
        assertEquals(n + 1, d.count);
        assertEquals(d.preorderOf(n - 2), d.idomOf(d.preorderOf(n - 1)));
    }

    /** idom by definition; -1 = virtual root, -2 = unreachable. */
    static int[] bruteForceIdom(int n, int[] start, int[] edges, int[] roots) {
        boolean[] reach = reach(n, start, edges, roots, -1);
        // dom[v] = set of vertices whose removal makes v unreachable
        boolean[][] dom = new boolean[n][n];
        for (int x = 0; x < n; x++) {
            boolean[] r = reach(n, start, edges, roots, x);
            for (int v = 0; v < n; v++) {
                dom[v][x] = reach[v] && (v == x || !r[v]);
            }
        }
        int[] idom = new int[n];
        for (int v = 0; v < n; v++) {
            if (!reach[v]) {
                idom[v] = -2;
                continue;
            }
            idom[v] = -1;
            // the strict dominator that every other strict dominator dominates
            for (int x = 0; x < n; x++) {
                if (x == v || !dom[v][x]) {
                    continue;
                }
                boolean immediate = true;
                for (int y = 0; y < n && immediate; y++) {
                    if (y != v && y != x && dom[v][y] && !dom[x][y]) {
                        immediate = false; // y strictly dominates v but does not dominate x: x is above y
                    }
                }
                if (immediate) {
                    idom[v] = x;
                }
            }
        }
        return idom;
    }

    private static boolean[] reach(int n, int[] start, int[] edges, int[] roots, int removed) {
        boolean[] seen = new boolean[n];
        int[] stack = new int[n + 1];
        int sp = 0;
        for (int r : roots) {
            if (r != removed && !seen[r]) {
                seen[r] = true;
                stack[sp++] = r;
            }
        }
        while (sp > 0) {
            int v = stack[--sp];
            for (int e = start[v]; e < start[v + 1]; e++) {
                int w = edges[e];
                if (w != removed && !seen[w]) {
                    seen[w] = true;
                    stack[sp++] = w;
                }
            }
        }
        return seen;
    }

    private static String edgesText(List<int[]> edges) {
        StringBuilder sb = new StringBuilder();
        for (int[] e : edges) {
            sb.append(e[0]).append("->").append(e[1]).append(' ');
        }
        return sb.toString();
    }
}
