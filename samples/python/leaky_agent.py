#!/usr/bin/env python3
"""A Python LLM-agent worker that leaks: it keeps every raw tool output in a module-level list.

What leaks and where: ``TRANSCRIPT`` (module global) -> list -> bytes objects of ~64 KiB each, one per tool
call. CPython allocates objects above 512 bytes with malloc, so the growth shows in the process's anonymous
memory (glibc's main arena, the ``[heap]`` mapping, and mmap'd arenas), not in any file mapping.

    python3 samples/python/leaky_agent.py [--rate CALLS_PER_SEC] [--seconds N]

Prints ``ready pid=N`` once running, then works until killed or until --seconds have passed.
"""
import argparse
import os
import random
import time

TRANSCRIPT = []  # the leak: nothing ever trims the conversation transcript


def tool_call(i):
    # a tool's raw output: ~64 KiB of text; one in fifty carries an API-key-shaped token
    body = (f"result {i}: " + "x" * 65_000).encode()
    if i % 50 == 0:
        body += b" Authorization: Bearer sk-live-" + os.urandom(12).hex().encode()
    return body


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--seconds", type=float, default=365 * 24 * 3600)
    a = p.parse_args()
    print(f"ready pid={os.getpid()} scenario=leaky", flush=True)
    end = time.monotonic() + a.seconds
    i = 0
    while time.monotonic() < end:
        out = tool_call(i)
        TRANSCRIPT.append(out)  # kept forever
        _summary = out[:200].decode(errors="replace").upper()  # the work the agent actually needed
        i += 1
        time.sleep(1 / a.rate * random.uniform(0.8, 1.2))


if __name__ == "__main__":
    main()
