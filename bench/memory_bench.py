"""joblib.Memory on the calls bench/memory_bench.cpp makes (run with /usr/bin/python3).
Usage: memory_bench.py DIR [hash_mb=1024] [array_mb=400]"""
import shutil
import statistics
import sys
import time

import joblib
import numpy as np

d = sys.argv[1]
hash_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
array_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 400
shutil.rmtree(d, ignore_errors=True)
mem = joblib.Memory(d, mmap_mode="r", verbose=0)

# hash: joblib.Memory hashes arguments with joblib.hash (md5 over a pickle,
# arrays from their buffers): the same four arrays as one argument list.
n = hash_mb * (1 << 20) // 8 // 4
arrays = [np.arange(n, dtype=np.float64) + i for i in range(4)]
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    joblib.hash(arrays)
    best = min(best, time.perf_counter() - t)
print(f"RESULT op=hash mb={hash_mb} seconds={best:.4f} gbps={hash_mb * (1 << 20) / 1e9 / best:.2f}")
del arrays


def small(x):
    return [float(x)] * 10


f = mem.cache(small)
f(1)
ts = []
for _ in range(500):
    t = time.perf_counter()
    f(1)
    ts.append(time.perf_counter() - t)
print(f"RESULT op=hit median_us={statistics.median(ts) * 1e6:.1f}")

N = array_mb * (1 << 20) // 8


def large(x):
    return np.arange(N, dtype=np.float64) + x


g = mem.cache(large)
g(1)
ts = []
for _ in range(50):
    t = time.perf_counter()
    r = g(1)
    ts.append(time.perf_counter() - t)
    assert isinstance(r, np.memmap) and r.size == N
print(f"RESULT op=hitmap mb={array_mb} median_us={statistics.median(ts) * 1e6:.1f}")


def miss(x):
    return [float(x)] * 10


h = mem.cache(miss)
ts = []
for i in range(300):
    t = time.perf_counter()
    h(1000 + i)
    ts.append(time.perf_counter() - t)
print(f"RESULT op=miss median_us={statistics.median(ts) * 1e6:.1f}")
shutil.rmtree(d, ignore_errors=True)
