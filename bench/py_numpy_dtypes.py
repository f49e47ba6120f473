#!/usr/bin/python3
"""numpy's flexible dtypes side by side in one process: brine.dump /
brine.load (and mmap_mode="r") against np.save / np.load and joblib.dump /
joblib.load of the same array (docs/performance.md, "String arrays" and
"Record arrays"). Best of --repeat, warm page cache; every load is checked
equal.

    PYTHONPATH=build/python /usr/bin/python3 bench/py_numpy_dtypes.py --kind str [--n N] [--width W] [--repeat R]
    PYTHONPATH=build/python /usr/bin/python3 bench/py_numpy_dtypes.py --kind record [--n N] [--repeat R]

str: random 'U<width>' strings. record: scikit-learn's tree node dtype (7
fields, 56 bytes), what a fitted forest holds.
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


def strings(n, width):
    rng = np.random.default_rng(1)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz\u00e9\u2713"))
    return np.array(["".join(w) for w in letters[rng.integers(0, len(letters), size=(n, width))]])


NODE = np.dtype([("left_child", "<i8"), ("right_child", "<i8"), ("feature", "<i8"), ("threshold", "<f8"),
                 ("impurity", "<f8"), ("n_node_samples", "<i8"), ("weighted_n_node_samples", "<f8")])


def records(n):
    rng = np.random.default_rng(1)
    a = np.zeros(n, dtype=NODE)
    for name in NODE.names:
        a[name] = rng.integers(-1, n, size=n) if NODE[name].kind == "i" else rng.random(n)
    return a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=("str", "record"), default="str")
    ap.add_argument("--n", type=int, default=None, help="elements (str: 5 M, record: 2 M)")
    ap.add_argument("--width", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    a = strings(args.n or 5_000_000, args.width) if args.kind == "str" else records(args.n or 2_000_000)
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
