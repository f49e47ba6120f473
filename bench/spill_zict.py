"""zict wired as dask.distributed wires it, for bench/spill_bench.cpp's workloads.

    Buffer(fast=dict, slow=Func(pickle.dumps protocol 5, pickle.loads, File(dir)), n=limit, weight=nbytes)

usage: spill_zict.py arrays TOTAL_MiB BUDGET_MiB DIR | small COUNT BUDGET_MiB DIR
Prints the same JSON lines as spill_bench.
"""
import json
import math
import os
import pickle
import random
import resource
import sys
import time

import numpy as np
import zict

written = 0


def dumps(v):
    global written
    b = pickle.dumps(v, protocol=5)
    written += len(b)
    return b


def nbytes(k, v):
    # distributed.sizeof: arrays by nbytes, other objects by sys.getsizeof.
    return v.nbytes if isinstance(v, np.ndarray) else sys.getsizeof(v)


def report(workload, phase, seconds, amount, unit):
    print(json.dumps({"impl": "zict", "workload": workload, "phase": phase, "seconds": round(seconds, 3),
                      unit: round(amount / seconds, 1),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "bytes_written": written}), flush=True)


def store(budget_mib, directory):
    return zict.Buffer(fast={}, slow=zict.Func(dumps, pickle.loads, zict.File(directory)), n=budget_mib << 20, weight=nbytes)


def arrays(total_mib, budget_mib, directory):
    n = total_mib // 8
    elements = (8 << 20) // 8
    m = store(budget_mib, directory)
    t = time.perf_counter()
    for i in range(n):
        m["x%d" % i] = np.arange(i, i + elements, dtype=np.float64)
    report("arrays", "write", time.perf_counter() - t, total_mib, "MiB/s")
    order = list(reversed(range(n)))
    check = 0.0
    t = time.perf_counter()
    for i in order:
        check += m["x%d" % i][1]
    report("arrays", "read_lru", time.perf_counter() - t, total_mib, "MiB/s")
    random.Random(42).shuffle(order)
    t = time.perf_counter()
    for i in order:
        check += m["x%d" % i].sum()
    report("arrays", "read_random_sum", time.perf_counter() - t, total_mib, "MiB/s")


def small(count, budget_mib, directory):
    m = store(budget_mib, directory)
    t = time.perf_counter()
    for i in range(count):
        m["k%d" % i] = b"%015d" % i + b"v" * 85
    report("small", "write", time.perf_counter() - t, count, "entries/s")
    # The read order of bench/spill_bench.cpp (scattered_order): computed,
    # not stored, so the bench's own memory stays out of the peak RSS.
    step = max(1, count * 618 // 1000)
    while math.gcd(step, count) != 1:
        step -= 1
    t = time.perf_counter()
    bad = 0
    for n in range(count):
        i = (n * step + 1) % count
        bad += m["k%d" % i][14] != ord("0") + i % 10
    report("small", "read_random", time.perf_counter() - t, count, "entries/s")
    assert bad == 0


if __name__ == "__main__":
    what, a, b, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.makedirs(d, exist_ok=True)
    (arrays if what == "arrays" else small)(a, b, d)
