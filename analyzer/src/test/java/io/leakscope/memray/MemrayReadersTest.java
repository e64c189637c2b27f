package io.leakscope.memray;

import io.leakscope.analyze.Analyzer;
import io.leakscope.findings.Findings;
import io.leakscope.findings.NativeMemory;
import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemrayReadersTest {
    @TempDir
    Path tmp;

    private Path resource(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/memray/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static Findings analyze(Path... p) throws java.io.IOException {
        return Analyzer.standard("test").analyze(List.of(p));
    }

    @Test
    void realFlameGraphReportsGiveRssAndHeapOverTime() throws Exception {
        Findings fib = analyze(resource("memray-flamegraph-fib.html.gz"));
        Series rss = fib.series().stream().filter(s -> s.id().equals("memray.rss")).findFirst().orElseThrow();
        assertEquals(40, rss.size(), "the fib report embeds 40 memory records");
        assertEquals(43679744, rss.values()[0]);
        assertEquals(1686926172467L, rss.timeMs()[0]);
        Findings sqlite = analyze(resource("memray-flamegraph-sqlite.html.gz"));
        Series heap = sqlite.series().stream().filter(s -> s.id().equals("memray.heap")).findFirst().orElseThrow();
        assertEquals(204, heap.size(), "the older layout embeds 204 records");
        assertEquals(126879, heap.values()[0]);
    }

    @Test
    void transformCsvRanksTheLeakingStackFirst() throws Exception {
        Path csv = tmp.resolve("memray-csv-agent.csv");
        Files.writeString(csv, "allocator,num_allocations,size,tid,thread_name,stack_trace\r\n"
                + "PYMALLOC_MALLOC,12,4096,1,0x1,format_prompt;agent/prompt.py;88|run;agent/main.py;10\r\n"
                + "MALLOC,5000,327680000,1,0x1 (MainThread),remember;agent/memory.py;42|on_tool_result;agent/loop.py;17|run;agent/main.py;10\r\n"
                + "MMAP,1,1048576,2,\"0x2 (worker, io)\",read_chunk;agent/io.py;5\r\n");
        Findings f = analyze(csv);
        NativeMemory.LeakSite top = f.nativeMemory().leakSites().get(0);
        assertEquals(List.of("remember (agent/memory.py:42)", "on_tool_result (agent/loop.py:17)", "run (agent/main.py:10)"),
                top.frames());
        assertEquals(327680000L, top.bytes());
        assertEquals(5000L, top.allocations());
        assertEquals("memray", top.source());
        assertEquals(3, f.nativeMemory().leakSites().size(), "the quoted thread name with a comma is one cell");
    }

    @Test
    void statsJsonGivesTopLocationsBySize() throws Exception {
        Path json = tmp.resolve("memray-stats-agent.bin.json");
        Files.writeString(json, """
                {
                  "total_num_allocations": 20,
                  "total_bytes_allocated": 3341500,
                  "allocation_size_histogram": [{"min_bytes": 0, "max_bytes": 4738, "count": 1}],
                  "allocator_type_distribution": {"MALLOC": 13},
                  "top_allocations_by_size": [
                    {"location": "remember:agent/memory.py:42", "size": 3000000},
                    {"location": "format_prompt:agent/prompt.py:88", "size": 341500}],
                  "top_allocations_by_count": [{"location": "remember:agent/memory.py:42", "count": 15}],
                  "metadata": {"start_time": "2026-11-24 07:00:00", "end_time": "2026-11-24 07:10:00",
                    "total_allocations": 40, "total_frames": 0, "peak_memory": 3341500,
                    "command_line": "python agent.py", "pid": 4242, "python_allocator": "pymalloc",
                    "has_native_traces": false, "file_format": 0}
                }
                """);
        Findings f = analyze(json);
        NativeMemory.LeakSite top = f.nativeMemory().leakSites().get(0);
        assertEquals(List.of("remember (agent/memory.py:42)"), top.frames());
        assertEquals(15, top.allocations());
    }

    @Test
    void damagedInputsAreOneLine() throws Exception {
        Path html = resource("memray-flamegraph-fib.html.gz");
        byte[] all;
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(html))) {
            all = in.readAllBytes();
        }
        String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
        Path cut = tmp.resolve("cut.html");
        Files.writeString(cut, text.substring(0, text.indexOf("memory_records") + 200));
        InputException e = assertThrows(InputException.class, () -> analyze(cut));
        assertTrue(e.getMessage().startsWith(cut + ": memray's memory_records end early"), e.getMessage());

        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "allocator,num_allocations,size,tid,thread_name,stack_trace\nMALLOC,x,1,1,0x1,f;a.py;1\n");
        e = assertThrows(InputException.class, () -> analyze(csv));
        assertEquals(csv + ": line 2 is not numeric", e.getMessage());

        Path bin = tmp.resolve("capture.bin");
        Files.write(bin, new byte[] {0x04, 0x22, 0x4d, 0x18, 0, 0, 0, 0});
        e = assertThrows(InputException.class, () -> analyze(bin));
        assertTrue(e.getMessage().startsWith(bin + ": memray capture cannot be read (") && !e.getMessage().contains("\n"),
                "an LZ4 magic and then garbage: " + e.getMessage());
    }
}
