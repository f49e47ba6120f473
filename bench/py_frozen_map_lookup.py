#!/usr/bin/python3
"""Single-process lookup cost of a brine.frozen_map against a Python dict
holding the same float32[64] arrays (docs/performance.md, "Python: one frozen
map shared by worker processes").

    PYTHONPATH=build/python /usr/bin/python3 bench/py_frozen_map_lookup.py [--keys N] [--lookups M]
"""
import argparse
import os
import random
import tempfile
import time

import numpy as np

import brine


def per_lookup(keys, lookup):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for k in keys:
            lookup(k)
        best = min(best, time.perf_counter() - t)
    return best / len(keys) * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=200_000)
    ap.add_argument("--lookups", type=int, default=300_000)
    a = ap.parse_args()
    names = ["k%015d" % i for i in range(a.keys)]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bench.brinemap")
        plain = {}
        with brine.frozen_map_builder(path) as b:
            for i, k in enumerate(names):
                v = np.full(64, i, dtype=np.float32)
                b.add(k, v)
                plain[k] = v
        m = brine.frozen_map(path)
        rng = random.Random(42)
        keys = [names[rng.randrange(a.keys)] for _ in range(a.lookups)]
        for k in keys[:1000]:  # every value right
            assert m[k][0] == plain[k][0]
        rows = [
            ("m[key][0]", per_lookup(keys, lambda k: m[k][0]), per_lookup(keys, lambda k: plain[k][0])),
            ("key in m", per_lookup(keys, lambda k: k in m), per_lookup(keys, lambda k: k in plain)),
        ]
        print("| %d keys, float32[64] | brine.frozen_map µs | dict µs | ratio |" % a.keys)
        print("|---|---|---|---|")
        for what, fm, dc in rows:
            print("| %s | %.2f | %.2f | %.1f× |" % (what, fm, dc, fm / dc))


if __name__ == "__main__":
    main()
