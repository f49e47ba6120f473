#!/usr/bin/python3
"""Fixed-width string arrays (numpy 'U<n>'), side by side in one process:
brine.dump / brine.load (and mmap_mode="r") against np.save / np.load and
joblib.dump / joblib.load of the same array (docs/performance.md, "String
arrays"). Best of --repeat, warm page cache; every load is checked equal.

    PYTHONPATH=build/python /usr/bin/python3 bench/py_string_arrays.py [--n N] [--width W] [--repeat R]
"""
import argparse
import os
import tempfile
import time

import joblib
import numpy as np

import brine


def best(repeat, f):
    t_best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5_000_000)
    ap.add_argument("--width", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz\u00e9\u2713"))
    a = np.array(["".join(w) for w in letters[rng.integers(0, len(letters), size=(args.n, args.width))]])
    print(f"array: {a.dtype}, {a.shape[0]} elements, {a.nbytes / 2**20:.1f} MiB")
    with tempfile.TemporaryDirectory() as d:
        paths = {k: os.path.join(d, k) for k in ("a.brine", "a.npy", "a.pkl")}
        rows = [
            ("brine", lambda: brine.dump(a, paths["a.brine"], durable=False), lambda: brine.load(paths["a.brine"])),
            ("brine mmap_mode=r", None, lambda: brine.load(paths["a.brine"], mmap_mode="r")),
            ("numpy .npy", lambda: np.save(paths["a.npy"], a), lambda: np.load(paths["a.npy"])),
            ("numpy .npy mmap_mode=r", None, lambda: np.load(paths["a.npy"], mmap_mode="r")),
            ("joblib", lambda: joblib.dump(a, paths["a.pkl"]), lambda: joblib.load(paths["a.pkl"])),
        ]
        print("| | dump s | load s |")
        print("|---|---|---|")
        for name, dump, load in rows:
            dump_s = best(args.repeat, dump)[0] if dump else None
            load_s, back = best(args.repeat, load)
            assert back.dtype == a.dtype and np.array_equal(back, a), name
            print(f"| {name} | {'' if dump_s is None else f'{dump_s:.3f}'} | {load_s:.4f} |")


if __name__ == "__main__":
    main()
