#!/usr/bin/env python3
"""Writes the Memray capture fixtures for MemrayCaptureTest with memray_synth.py's Writer, a writer derived
from memray 1.20's record_writer.cpp (not memray itself: no memray install was available). Run from this
directory:  python3 make_fixtures.py  (needs the lz4 command for the compressed fixture)."""
import io
import json
import struct
import subprocess

import memray_synth as m


class V12Writer(m.Writer):
    """Version 12 (memray 1.19): the v13 header without libdest, site_packages and sys_path."""

    def write_header(self, end_time_ms, seek_to_start=False):
        h = self.h
        if seek_to_start:
            self.buf.seek(0)
        self.w(b"memray\0")
        self.w(struct.pack("<i", 12))
        self.w(struct.pack("<i", h["python_version"]))
        self.w(struct.pack("<?B", h["native_traces"], 0))
        self.w(struct.pack("<QQqq", self.n_allocations, 0, self.start, end_time_ms))
        self.cstr(h["command_line"])
        self.w(struct.pack("<iQQB??", h["pid"], h["main_tid"], h["skipped_frames"],
                           h["python_allocator"], h["trace_python_allocators"], h["track_object_lifetimes"]))
        if seek_to_start:
            self.buf.seek(0, io.SEEK_END)


def leaky():
    data, expected = m.leaky_service(n_iter=6000)
    open("leaky-v13.bin", "wb").write(data)
    comp = subprocess.run(["lz4", "-q", "-B4", "-BD", "--no-frame-crc", "-c"], input=data, check=True,
                          capture_output=True).stdout
    assert comp[4:6] == b"\x40\x40", comp[4:6].hex()  # linked blocks, 64 KiB: what memray writes
    open("leaky-v13.lz4.bin", "wb").write(comp)
    json.dump(expected, open("leaky-v13.expected.json", "w"), indent=2)


def native_threads():
    """v12, --native, two threads, memray's own outermost frame on the main thread, mmap with a partial munmap,
    realloc, object records and more than 15 live addresses (pointer-cache misses and hits)."""
    t0 = 1_750_000_000_000
    w = V12Writer(native_traces=True, skipped_frames=1, command_line="memray run worker.py", pid=4242,
                  python_version=0x030C04F0, start_time_ms=t0)
    w.mappings([("/usr/lib/libpython3.12.so", 0x7F0000000000, [(0x1000, 0x2000), (0x4000, 0x800)])])
    w.native_frame(0x7F0000001234, 0)      # native node 1
    w.native_frame(0x7F0000005678, 1)      # native node 2, parent 1
    w.thread_record(1, "MainThread")
    w.code_object(1, "<module>", "/usr/lib/python3.12/runpy.py", b"", 1)   # memray's own frame: skipped
    w.code_object(2, "main", "/srv/worker.py", b"", 3)
    w.code_object(3, "load_batch", "/srv/worker.py", b"", 20)
    w.code_object(4, "poll", "/srv/queue.py", b"", 7)
    w.frame_push(1, 1, 0, True)
    w.frame_push(1, 2, 6, True)
    base, heap = 0x55000000_0000, 0
    w.memory_record(t0, 40_000_000)
    for i in range(40):                                   # 40 x 1000 B in load_batch, half freed
        w.frame_push(1, 3, 4, True)
        w.allocation(1, base + 64 * i, 1000, 6, native_id=2)
        w.frame_pop(1, 1)
    for i in range(0, 40, 2):
        w.allocation(1, base + 64 * i, 0, 5)
    w.allocation(1, base + 64 * 1, 0, 5)                  # realloc = free(old) + realloc(new)
    w.allocation(1, base + 64 * 100, 3000, 7, native_id=2)
    w.object_record(1, base + 64 * 3, True, native_id=1)
    w.object_record(1, base + 64 * 3, False)
    w.memory_record(t0 + 1000, 41_000_000)
    w.thread_record(2, "queue-poller")
    w.frame_push(2, 4, 2, True)
    w.allocation(2, 0x7F2000000000, 1 << 20, 14, native_id=1)   # mmap 1 MiB
    w.allocation(2, 0x7F2000000000, 1 << 18, 15)                # munmap its first 256 KiB
    w.allocation(2, base + 64 * 200, 500, 8, native_id=1)       # calloc (allocator byte follows)
    w.memory_record(t0 + 2000, 42_000_000)
    data = w.finish(end_time_ms=t0 + 2500)
    open("native-threads-v12.bin", "wb").write(data)
    # cut inside the last memory record: a crashed capture keeps what came before
    cut = data.rfind(bytes([2]), 0, len(data) - 1) + 2
    open("native-threads-v12.truncated.bin", "wb").write(data[:cut])
    expected = {
        "load_batch": {"bytes": 19 * 1000, "allocations": 19, "frames": ["load_batch (/srv/worker.py)", "main (/srv/worker.py)"]},
        "main": {"bytes": 3000, "allocations": 1, "frames": ["main (/srv/worker.py)"]},
        "poll": {"bytes": (1 << 20) - (1 << 18) + 500, "allocations": 2, "frames": ["poll (/srv/queue.py)"]},
    }
    json.dump(expected, open("native-threads-v12.expected.json", "w"), indent=2)


def old_version():
    open("v9-header.bin", "wb").write(b"memray\0" + struct.pack("<i", 9) + b"\0" * 64)


class V11Writer:
    """Format 11 (memray 1.11-1.18), streaming, from v1.18.0's record_writer.cpp: token = type | flags << 4,
    full addresses, FRAME_INDEX records with function, file and line."""

    def __init__(self, start, pid=4343, main_tid=1, skipped=0, version=11):
        self.buf = io.BytesIO()
        self.start = start
        self.last = dict(tid=0, frame=0, line=0, data=0, native=0)
        self.buf.write(b"memray\0" + struct.pack("<i", version) + struct.pack("<?B", False, 0)
                       + struct.pack("<QQqq", 0, 0, start, start + 60_000))
        self.buf.write(b"python service.py\0" + struct.pack("<iQQB", pid, main_tid, skipped, 1))
        if version >= 11:  # format 10 (memray 1.7-1.10) has no trace_python_allocators
            self.buf.write(struct.pack("<?", False))

    def tok(self, type_, flags=0):
        self.buf.write(bytes([type_ | flags << 4]))

    def delta(self, key, new):
        self.buf.write(m.svarint(m.to_signed64(new - self.last[key])))
        self.last[key] = new

    def ctx(self, tid):
        if self.last["tid"] != tid:
            self.last["tid"] = tid
            self.tok(12)
            self.buf.write(struct.pack("<Q", tid))

    def frame_index(self, frame_id, func, filename, line, entry=True):
        self.tok(3, 0 if entry else 1)
        self.delta("frame", frame_id)
        self.buf.write(func.encode() + b"\0" + filename.encode() + b"\0")
        self.delta("line", line)

    def push(self, tid, frame_id):
        self.ctx(tid)
        self.tok(4)
        self.delta("frame", frame_id)

    def pop(self, tid, n=1):
        self.ctx(tid)
        self.tok(9, n - 1)

    def alloc(self, tid, addr, size, allocator):  # v11 numbering: MALLOC=1, FREE=2, MMAP=10, MUNMAP=11
        self.ctx(tid)
        self.tok(1, allocator)
        self.delta("data", addr)
        if allocator not in (2, 15):
            self.buf.write(m.varint(size))

    def memory(self, ms, rss):
        self.tok(11)
        self.buf.write(m.varint(rss) + m.varint(ms - self.start))

    def finish(self):
        self.buf.write(bytes([0x10]))  # TRAILER: OTHER | 1 << 4
        return self.buf.getvalue() + b"\0" * 512  # the mmap sink's padding


def leaky_v11(n_iter=3000, version=11):
    t0 = 1_710_000_000_000
    w = V11Writer(t0, version=version)
    w.ctx(1)
    w.tok(10)
    w.buf.write(b"MainThread\0")
    w.frame_index(0, "main", "/app/service.py", 3)
    w.push(1, 0)
    w.frame_index(1, "handle_request", "/app/service.py", 12)
    w.frame_index(2, "cache_result", "/app/cache.py", 7)
    for i in range(n_iter):
        w.memory(t0 + 10 * i, 50_000_000 + 4096 * i)
        w.push(1, 1)
        w.alloc(1, 0x7F0000000000, 4096, 1)             # malloc, freed below
        w.push(1, 2)
        w.alloc(1, 0x7F1000000000 + 256 * i, 256, 1)    # malloc, leaked
        w.pop(1)
        w.alloc(1, 0x7F0000000000, 0, 2)                # free
        w.pop(1)
    w.memory(t0 + 10 * n_iter, 50_000_000 + 4096 * n_iter)
    open("leaky-v%d.bin" % version, "wb").write(w.finish())
    if version != 11:
        return
    json.dump({"n_allocation_records": 3 * n_iter, "leaked_bytes": 256 * n_iter, "leaked_allocations": n_iter,
               "peak_heap_bytes": 256 * (n_iter - 1) + 4096 + 256,
               "leaked_stack_leaf_first": ["cache_result (/app/cache.py:7)", "handle_request (/app/service.py:12)",
                                           "main (/app/service.py:3)"]},
              open("leaky-v11.expected.json", "w"), indent=2)


def aggregated(version):
    """--aggregate: header (file_format 1) and everything else written at exit (AggregatingRecordWriter)."""
    t0 = 1_720_000_000_000
    b = io.BytesIO()
    b.write(b"memray\0" + struct.pack("<i", version))
    if version >= 12:
        b.write(struct.pack("<i", 0x030B0AF0))
    b.write(struct.pack("<?B", False, 1) + struct.pack("<QQqq", 0, 0, t0, t0 + 99_000))
    b.write(b"python worker.py\0" + struct.pack("<iQQB", 4545, 1, 0, 1))
    if version >= 11:
        b.write(struct.pack("<?", False))
    if version >= 12:
        b.write(struct.pack("<?", False))
    if version >= 13:
        b.write(b"\0" + b"\0" + b"\0")  # libdest, site_packages, sys_path: empty
    for i in range(100):  # MEMORY_SNAPSHOT {ms, rss, heap}
        b.write(bytes([1]) + struct.pack("<QQQ", t0 + 1000 * i, 60_000_000 + 20_000 * i, 15_360 * i))
    b.write(bytes([12]) + struct.pack("<Q", 1) + bytes([10]) + b"MainThread\0")
    b.write(bytes([12]) + struct.pack("<Q", 2) + bytes([10]) + b"uploader\0")
    frames = [("main", "/srv/worker.py", 1), ("handle", "/srv/worker.py", 20), ("remember", "/srv/memory.py", 8),
              ("load", "/srv/io.py", 30)]
    if version >= 12:
        last = 0
        for cid, (func, filename, line) in enumerate(frames):  # CODE_OBJECT, firstlineno as a delta from 0
            b.write(bytes([14]) + m.varint(cid) + func.encode() + b"\0" + filename.encode() + b"\0")
            b.write(m.svarint(line - last) + m.varint(0))
            last = line
        for fid in range(len(frames)):  # PYTHON_FRAME_INDEX: frame id, code object id, instruction offset, entry
            b.write(bytes([4]) + m.varint(fid) + m.varint(fid) + m.svarint(2) + bytes([1]))
    else:
        for fid, (func, filename, line) in enumerate(frames):
            b.write(bytes([4]) + struct.pack("<Q", fid) + func.encode() + b"\0" + filename.encode() + b"\0"
                    + struct.pack("<i?", line, True))
    # the frame tree: node k (from 1) = (frame id, parent node): main, main>handle, main>handle>remember, main>load
    for fid, parent in [(0, 0), (1, 1), (2, 2), (3, 1)]:
        if version >= 12:
            b.write(bytes([3]) + m.varint(fid) + m.varint(parent))
        else:
            b.write(bytes([3]) + struct.pack("<QI", fid, parent))

    def allocation(tid, frame_index, n_hwm, n_leaked, bytes_hwm, bytes_leaked):
        b.write(bytes([2]) + struct.pack("<QB7xQQQQQQQ", tid, 6 if version >= 12 else 1, 0, frame_index, 0,
                                         n_hwm, n_leaked, bytes_hwm, bytes_leaked))

    allocation(1, 3, 6000, 6000, 1_536_000, 1_536_000)  # remember: leaked, and at the peak
    allocation(1, 4, 1, 0, 8 << 20, 0)                  # load: a big temporary buffer at the peak, freed
    allocation(2, 2, 1, 1, 4096, 4096)                  # handle, on the uploader thread: one leaked page
    b.write(bytes([15]))
    open("aggregated-v%d.bin" % version, "wb").write(b.getvalue())


if __name__ == "__main__":
    leaky()
    native_threads()
    old_version()
    leaky_v11()
    leaky_v11(version=10)
    aggregated(11)
    aggregated(13)
