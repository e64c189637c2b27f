package io.leakscope.collect;

import io.leakscope.bundle.ArtifactKind;
import io.leakscope.smaps.SmapsSeries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --children}: the target and every process it started, for workers that fork (a Python pool, a Node
 * CLI spawning tools). Writes {@code series/tree.csv}: {@code tree.rss}, the sum over the tree (the growth
 * signal), and each process's RSS as a part of it, so the report can say which child grows.
 */
final class ProcessTreeSampler implements Collector {
    private final SmapsSeries series = new SmapsSeries("tree.", "process ", null, "tree.rss");

    @Override
    public String name() {
        return "tree";
    }

    @Override
    public void start(CaptureContext ctx) {
    }

    @Override
    public void first(CaptureContext ctx) {
        sample(ctx, -1);
    }

    @Override
    public void sample(CaptureContext ctx, long tick) {
        Map<String, Long> rss = new HashMap<>();
        ProcessHandle root = ProcessHandle.of(ctx.pid()).orElse(null);
        if (root == null) {
            return;
        }
        List<ProcessHandle> tree = new java.util.ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (ProcessHandle p : tree) {
            try {
                Map<String, Long> st = ctx.procFs().status(p.pid());
                Long v = st.get("VmRSS");
                if (v != null) { // kernel threads and zombies have none
                    rss.put(p.pid() + ":" + comm(ctx, p.pid()), v);
                }
            } catch (IOException e) {
                // exited between listing and reading
            }
        }
        series.add(System.currentTimeMillis(), rss);
    }

    private static String comm(CaptureContext ctx, long pid) {
        try {
            String cmd = ctx.procFs().cmdline(pid);
            String first = cmd.isEmpty() ? "?" : cmd.split(" ")[0];
            return Path.of(first).getFileName().toString();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public void stop(CaptureContext ctx, String reason) throws IOException {
        if (series.size() < 2) {
            return;
        }
        Path csv = ctx.bundle().file("series", "tree.csv");
        series.write(csv, "tree");
        ctx.bundle().add(csv, ArtifactKind.SERIES, Map.of("source", "tree"));
    }
}
