"""brine's Python module against joblib and pickle, side by side in one run
(issue 14). Run with Debian's /usr/bin/python3 and the module of a build
directory:

  PYTHONPATH=build/python /usr/bin/python3 bench/py_brine_bench.py [--w1-n 5000] [--w2-keys 1000000] [--repeat 3] [--dir /tmp]

W1 and W2 are bench/workloads.py's (full size by default: W1 400 MB, W2 1 M
keys + 100 k arrays); --w1-n / --w2-keys shrink them (W2's array count
scales with its keys). Each row is the best of --repeat runs, warm page
cache. brine dumps with durable=False, the same promise joblib and pickle
make (no fsync); the durable row shows what the fsyncs cost.
"""
import argparse
import gc
import os
import pickle
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads  # noqa: E402

import brine  # noqa: E402
import joblib  # noqa: E402

# joblib's mmap_mode keeps a descriptor per array (W2 has 100 k at full
# size): lift the limit on open files, the hard one too when running as root.
import resource  # noqa: E402
try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, 1 << 20))
except (ValueError, OSError):
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)


def best(fn, repeat):
    t = float("inf")
    out = None
    for _ in range(repeat):
        out = None
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - t0)
    return t, out


def make(name, args):
    if name == "W1":
        return workloads.make_w1(args.w1_n)
    keys = args.w2_keys
    arrays = max(1, keys // 10)
    vals = workloads.uniform(workloads.W2_DICT_SEED, keys).tolist()
    d = dict(zip(("k%07d" % i for i in range(keys)), vals))
    m = workloads.uniform(workloads.W2_ARRAYS_SEED, 8 * arrays).reshape(arrays, 8)
    return {"d": d, "arrays": [row.copy() for row in m]}


def equal(name, a, b):
    if name == "W1":
        return all(np.array_equal(x, y) for x, y in zip(a, b))
    return a["d"] == b["d"] and all(np.array_equal(x, y) for x, y in zip(a["arrays"], b["arrays"]))


def rows(name, obj, d, repeat):
    def pickle_dump(path):
        with open(path, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)

    def pickle_load(path):
        with open(path, "rb") as f:
            return pickle.load(f)

    cases = [
        # label, file, dump, load
        ("raw   joblib", "j.pkl", lambda p: joblib.dump(obj, p), lambda p: joblib.load(p)),
        ("raw   pickle", "p.pkl", pickle_dump, pickle_load),
        ("raw   brine", "b.brine", lambda p: brine.dump(obj, p, durable=False), lambda p: brine.load(p)),
        ("raw   brine durable", "bd.brine", lambda p: brine.dump(obj, p), None),
        ("raw   joblib mmap r", "j.pkl", None, lambda p: joblib.load(p, mmap_mode="r")),
        ("raw   brine mmap r", "b.brine", None, lambda p: brine.load(p, mmap_mode="r")),
        ("gzip3 joblib", "j.pkl.gz", lambda p: joblib.dump(obj, p, compress=("gzip", 3)), lambda p: joblib.load(p)),
        ("gzip3 brine", "b.brine.gz", lambda p: brine.dump(obj, p, durable=False), lambda p: brine.load(p)),
        ("zstd3 brine", "b.brine.zst", lambda p: brine.dump(obj, p, durable=False), lambda p: brine.load(p)),
        ("lz4   joblib", "j.pkl.lz4", lambda p: joblib.dump(obj, p, compress=("lz4", 3)), lambda p: joblib.load(p)),
        ("lz4   brine", "b.brine.lz4", lambda p: brine.dump(obj, p, durable=False), lambda p: brine.load(p)),
    ]
    results = {}
    for label, file, dump, load in cases:
        path = os.path.join(d, name + "." + file)
        td = tl = None
        if dump:
            td, _ = best(lambda: dump(path), repeat)
        ok = True
        if load:
            try:
                tl, back = best(lambda: load(path), repeat)
                ok = equal(name, obj, back)
                del back
            except OSError as e:  # joblib's mmap_mode past the limit on open files
                print("%s %-22s load failed: %s" % (name, label, e), flush=True)
                gc.collect()
        results[label] = (td, tl)
        size = os.path.getsize(path)
        print("%s %-22s dump %8s  load %8s  size %9.1f MB  %s" % (
            name, label, "%.3f s" % td if td is not None else "-", "%.4f s" % tl if tl is not None else "-",
            size / 1e6, "ok" if ok else "MISMATCH"), flush=True)
    return results


def ratio(a, b):
    return "%.1fx" % (a / b) if a and b else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--w1-n", type=int, default=5000)
    ap.add_argument("--w2-keys", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        for name in ("W1", "W2"):
            obj = make(name, args)
            r = rows(name, obj, d, args.repeat)
            print("%s ratios joblib/brine: raw dump %s, raw load %s, gzip dump %s, gzip load %s, lz4 dump %s, "
                  "lz4 load %s; pickle/brine raw dump %s, load %s" % (
                      name,
                      ratio(r["raw   joblib"][0], r["raw   brine"][0]), ratio(r["raw   joblib"][1], r["raw   brine"][1]),
                      ratio(r["gzip3 joblib"][0], r["gzip3 brine"][0]), ratio(r["gzip3 joblib"][1], r["gzip3 brine"][1]),
                      ratio(r["lz4   joblib"][0], r["lz4   brine"][0]), ratio(r["lz4   joblib"][1], r["lz4   brine"][1]),
                      ratio(r["raw   pickle"][0], r["raw   brine"][0]), ratio(r["raw   pickle"][1], r["raw   brine"][1])),
                  flush=True)
            del obj
            for f in os.listdir(d):
                os.unlink(os.path.join(d, f))


if __name__ == "__main__":
    main()
