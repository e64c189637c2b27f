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
    open("v11-header.bin", "wb").write(b"memray\0" + struct.pack("<i", 11) + b"\0" * 64)


if __name__ == "__main__":
    leaky()
    native_threads()
    old_version()
