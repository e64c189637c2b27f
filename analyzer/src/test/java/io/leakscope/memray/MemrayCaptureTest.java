package io.leakscope.memray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.Growth;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Series;
import io.leakscope.findings.Verdict;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture-file decoder on fixtures written by make_fixtures.py (beside them in the test resources): a
 * writer derived from memray 1.20's record_writer.cpp, since no memray install is reachable from here. The
 * expected values come from the writer's own bookkeeping, not from this decoder.
 */
class MemrayCaptureTest {
    @TempDir
    Path tmp;

    private Path resource(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/memray/capture/" + name)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private JsonNode expected(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/memray/capture/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aLeakyServiceReplaysTheSameFromThePlainAndTheLz4File() throws Exception {
        JsonNode exp = expected("leaky-v13.expected.json");
        MemrayCapture.Result plain = MemrayCapture.read(resource("leaky-v13.bin"));
        MemrayCapture.Result lz4 = MemrayCapture.read(resource("leaky-v13.lz4.bin"));
        for (MemrayCapture.Result r : List.of(plain, lz4)) {
            assertNull(r.endNote(), "trailer, then memray's zero padding: a complete file");
            assertEquals(13, r.header().version());
            assertEquals("python service.py", r.header().commandLine());
            assertEquals(exp.get("n_allocation_records").asLong(), r.allocationRecords());
            assertEquals(exp.get("peak_heap_bytes").asLong(), r.peakHeap());
            assertEquals(exp.get("leaked_bytes").asLong(), r.leakedBytes());
            assertEquals(exp.get("leaked_allocations").asLong(), r.leakedAllocations());
            MemrayCapture.Site top = r.leaked().get(0);
            assertEquals(List.of("cache_result (/app/cache.py)", "handle_request (/app/service.py)", "main (/app/service.py)"),
                    top.frames());
            assertEquals(exp.get("leaked_bytes").asLong(), top.bytes());
            // 6,001 memory records are thinned to at most 4,096 by halving, the last one always kept
            int n = r.timeMs().length;
            assertTrue(n > 2000 && n <= MemrayCapture.MAX_RECORDS + 1, n + " records kept");
            assertEquals(1_700_000_000_000L + 10L * 6000, r.timeMs()[n - 1]);
            assertEquals(50_000_000L + 4096L * 6000, r.rss()[n - 1]);
            assertEquals(exp.get("leaked_bytes").asLong(), r.heap()[n - 1]);
            for (int i = 1; i < n; i++) {
                assertTrue(r.timeMs()[i] > r.timeMs()[i - 1] && r.heap()[i] > r.heap()[i - 1], "at " + i);
            }
        }
        assertArrayEquals(plain.heap(), lz4.heap());
        // at the high-water mark (the last record that reached it) the temporary buffer was live too
        assertEquals(2, plain.atPeak().size(), plain.atPeak().toString());
        assertEquals(exp.get("leaked_bytes").asLong(), plain.atPeak().get(0).bytes());
        assertEquals(List.of("handle_request (/app/service.py)", "main (/app/service.py)"), plain.atPeak().get(1).frames());
        assertEquals(4096, plain.atPeak().get(1).bytes());
        assertEquals(exp.get("peak_heap_bytes").asLong(), plain.atPeak().get(0).bytes() + plain.atPeak().get(1).bytes());
    }

    @Test
    void theAnalyzerCallsTheLeakAndNamesTheStack() throws Exception {
        Findings f = Analyzer.standard("test").analyze(List.of(resource("leaky-v13.lz4.bin")));
        Series heap = f.series().stream().filter(s -> s.id().equals("memray.heap")).findFirst().orElseThrow();
        assertTrue(heap.size() > 2000);
        Growth.SignalFit fit = f.growth().signals().stream().filter(s -> s.seriesId().equals("memray.heap")).findFirst().orElseThrow();
        assertEquals(Verdict.LEAK, fit.verdict(), fit.reason());
        assertEquals(256 * 100 * 60, fit.slopePerMinute(), 256 * 100 * 60 * 0.01, "256 B every 10 ms");
        NativeMemory.LeakSite site = f.nativeMemory().leakSites().get(0);
        assertEquals("memray", site.source());
        assertEquals("cache_result (/app/cache.py)", site.frames().get(0));
        assertEquals(Verdict.LEAK, f.verdict(), f.headline());
    }

    @Test
    void nativeTracesThreadsMmapAndReallocAreAccountedAsMemrayDoes() throws Exception {
        JsonNode exp = expected("native-threads-v12.expected.json");
        MemrayCapture.Result r = MemrayCapture.read(resource("native-threads-v12.bin"));
        assertNull(r.endNote());
        assertEquals(12, r.header().version());
        assertTrue(r.header().nativeTraces());
        assertEquals("3.12.4", r.header().python());
        assertEquals(3, r.timeMs().length);
        long total = 0;
        for (String site : List.of("load_batch", "main", "poll")) {
            JsonNode e = exp.get(site);
            List<String> frames = strings(e.get("frames"));
            MemrayCapture.Site s = r.leaked().stream().filter(x -> x.frames().equals(frames)).findFirst()
                    .orElseThrow(() -> new AssertionError(site + " not among " + r.leaked()));
            assertEquals(e.get("bytes").asLong(), s.bytes(), site);
            assertEquals(e.get("allocations").asLong(), s.allocations(), site);
            total += s.bytes();
        }
        assertEquals(total, r.leakedBytes(), "no other site holds memory");
        assertEquals(3, r.leaked().size());
        assertEquals("poll (/srv/queue.py)", r.leaked().get(0).frames().get(0), "largest first");
    }

    @Test
    void aCaptureCutShortIsReadUpToTheCut() throws Exception {
        MemrayCapture.Result whole = MemrayCapture.read(resource("native-threads-v12.bin"));
        MemrayCapture.Result cut = MemrayCapture.read(resource("native-threads-v12.truncated.bin"));
        assertNotNull(cut.endNote());
        assertTrue(cut.endNote().contains("ends inside a record"), cut.endNote());
        assertEquals(2, cut.timeMs().length, "the last memory record was cut");
        assertEquals(whole.leakedBytes(), cut.leakedBytes(), "every allocation came before the cut");
        Findings f = Analyzer.standard("test").analyze(List.of(resource("native-threads-v12.truncated.bin")));
        assertTrue(f.notes().stream().anyMatch(n -> n.message().contains("ends inside a record")), f.notes().toString());
    }

    @Test
    void format11StreamingCarriesLineNumbers() throws Exception {
        JsonNode exp = expected("leaky-v11.expected.json");
        for (int version : new int[] {10, 11}) {
            MemrayCapture.Result r = MemrayCapture.read(resource("leaky-v" + version + ".bin"));
            assertNull(r.endNote());
            assertEquals(version, r.header().version());
            assertEquals("unknown", r.header().python(), "format 11 does not record the Python version");
            assertEquals(exp.get("n_allocation_records").asLong(), r.allocationRecords());
            assertEquals(exp.get("leaked_bytes").asLong(), r.leakedBytes());
            assertEquals(exp.get("leaked_allocations").asLong(), r.leakedAllocations());
            assertEquals(exp.get("peak_heap_bytes").asLong(), r.peakHeap());
            assertEquals(strings(exp.get("leaked_stack_leaf_first")), r.leaked().get(0).frames());
            assertEquals(3001, r.timeMs().length);
            assertEquals(exp.get("leaked_bytes").asLong(), r.heap()[r.heap().length - 1]);
        }
    }

    @Test
    void aggregatedFilesGiveLeaksAndTheHighWaterMarkPerStack() throws Exception {
        for (String name : List.of("aggregated-v11.bin", "aggregated-v13.bin")) {
            MemrayCapture.Result r = MemrayCapture.read(resource(name));
            assertNull(r.endNote(), name);
            assertEquals(1, r.header().fileFormat(), name);
            assertEquals(100, r.timeMs().length, name);
            assertEquals(15_360L * 99, r.heap()[99], name);
            assertEquals(60_000_000L + 20_000 * 99, r.rss()[99], name);
            boolean v11 = name.contains("v11");
            List<String> remember = v11
                    ? List.of("remember (/srv/memory.py:8)", "handle (/srv/worker.py:20)", "main (/srv/worker.py:1)")
                    : List.of("remember (/srv/memory.py)", "handle (/srv/worker.py)", "main (/srv/worker.py)");
            assertEquals(remember, r.leaked().get(0).frames(), name);
            assertEquals(1_536_000, r.leaked().get(0).bytes(), name);
            assertEquals(6000, r.leaked().get(0).allocations(), name);
            assertEquals(1_536_000 + 4096, r.leakedBytes(), name);
            assertEquals(2, r.leaked().size(), "the freed buffer leaked nothing: " + r.leaked());
            assertEquals(v11 ? "load (/srv/io.py:30)" : "load (/srv/io.py)", r.atPeak().get(0).frames().get(0), name);
            assertEquals(8L << 20, r.atPeak().get(0).bytes(), name);
            assertEquals(1_536_000 + (8L << 20) + 4096, r.peakHeap(), "the high-water mark from its stacks, not the snapshots");
        }
        Findings f = Analyzer.standard("test").analyze(List.of(resource("aggregated-v13.bin")));
        assertEquals("remember (/srv/memory.py)", f.nativeMemory().leakSites().get(0).frames().get(0));
        assertTrue(f.notes().stream().anyMatch(n -> n.message().contains("at the high-water mark")
                && n.message().contains("load (/srv/io.py) 8.0 MiB")), f.notes().toString());
        assertEquals(Verdict.LEAK, f.verdict(), f.headline());
    }

    @Test
    void otherVersionsAggregatedFilesAndGarbageAreOneLineEach() throws Exception {
        Path v9 = resource("v9-header.bin");
        InputException e = assertThrows(InputException.class, () -> MemrayCapture.read(v9));
        assertTrue(e.getMessage().startsWith(v9.toString()) && e.getMessage().contains("version 9 (memray 1.6 or older)")
                && e.getMessage().contains("memray transform csv"), e.getMessage());

        byte[] bytes = Files.readAllBytes(resource("leaky-v13.bin"));
        bytes[16] = 1; // file_format: AGGREGATED_ALLOCATIONS, over streaming records
        Path aggregated = Files.write(tmp.resolve("aggregated.bin"), bytes);
        e = assertThrows(InputException.class, () -> MemrayCapture.read(aggregated));
        assertTrue(e.getMessage().contains("corrupt memray capture: unknown aggregated record"), e.getMessage());

        byte[] agg = Files.readAllBytes(resource("aggregated-v13.bin"));
        Path cutAggregated = Files.write(tmp.resolve("cut-aggregated.bin"), java.util.Arrays.copyOf(agg, agg.length - 40));
        e = assertThrows(InputException.class, () -> MemrayCapture.read(cutAggregated));
        assertTrue(e.getMessage().contains("aggregated memray capture ends inside a record"), e.getMessage());

        byte[] corrupt = Files.readAllBytes(resource("leaky-v13.bin"));
        int headerEnd = 49 + "python service.py".length() + 1 + 4 + 8 + 8 + 3 + 3;
        assertEquals(12, corrupt[headerEnd], "the first record: a context switch");
        corrupt[headerEnd] = 3; // a token no record type has
        Path bad = Files.write(tmp.resolve("corrupt.bin"), corrupt);
        e = assertThrows(InputException.class, () -> MemrayCapture.read(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("corrupt"), e.getMessage());

        Path header = Files.write(tmp.resolve("header-only.bin"), java.util.Arrays.copyOf(bytes, 30));
        e = assertThrows(InputException.class, () -> MemrayCapture.read(header));
        assertTrue(e.getMessage().contains("ends inside its header"), e.getMessage());
    }
}
