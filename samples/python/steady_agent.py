#!/usr/bin/env python3
"""A Python LLM-agent worker that does not leak: the same tool calls as leaky_agent.py, but it keeps only
the last 20 outputs (a bounded deque), so memory rises during the first seconds and then stays flat.

    python3 samples/python/steady_agent.py [--rate CALLS_PER_SEC] [--seconds N]

Prints ``ready pid=N`` once running.
"""
import argparse
import collections
import os
import random
import time

RECENT = collections.deque(maxlen=20)  # bounded: old outputs are dropped


def tool_call(i):
    return (f"result {i}: " + "x" * 65_000).encode()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--seconds", type=float, default=365 * 24 * 3600)
    a = p.parse_args()
    print(f"ready pid={os.getpid()} scenario=steady", flush=True)
    end = time.monotonic() + a.seconds
    i = 0
    while time.monotonic() < end:
        out = tool_call(i)
        RECENT.append(out)
        _summary = out[:200].decode(errors="replace").upper()
        i += 1
        time.sleep(1 / a.rate * random.uniform(0.8, 1.2))


if __name__ == "__main__":
    main()
