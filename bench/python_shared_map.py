"""The shared-dictionary scenario (issue 14, seed 004): one big read-only
dict, many worker processes doing random lookups in it.

  PYTHONPATH=build/python /usr/bin/python3 bench/python_shared_map.py [--keys 1000000] [--seconds 5]
      [--dim 64] [--workers 8] [--dask-workers 4] [--modes fork,spawn,dask] [--impls brine,pickle] [--dir /tmp]

Keys are the 16-byte strings "k%015d" of 0..N-1, values float32[dim] arrays
(value of key i: arange(dim) + i). Two implementations, side by side:

  brine   one brine.frozen_map file, built once; the workers get the map
          object (fork: inherited; spawn and dask: pickled, which reopens the
          file by its path);
  pickle  the seed's approach: each worker loads a pickled dict of the same
          data (protocol 5).

and three ways of running workers: multiprocessing with fork, with spawn
(--workers processes each) and a dask.distributed LocalCluster of
--dask-workers worker processes (one thread each, on 127.0.0.1, no
dashboard), started and closed here. Every worker loads (or opens), waits
for the others, does random lookups for --seconds, and measures its memory
from /proc/self/smaps_rollup while all of them still hold the data.

Printed per run: the time a worker takes to get the dict (load or open),
total lookups per second over all workers, total PSS of the workers after
the lookups (shared pages counted once overall), the largest growth of a
worker's private memory (Private_Clean + Private_Dirty) from its start to
after the lookups, and whether every value read was right.

test/python/test_frozen_map.py imports this module and runs the same
workers at small scale, asserting on what they measure.
"""
import argparse
import gc
import os
import pickle
import sys
import tempfile
import time

import numpy as np

import brine

KEY_FORMAT = "k%015d"  # 16 bytes
BARRIER_TIMEOUT = 300


# --- the data ----------------------------------------------------------------

def value_of(i, dim):
    return np.arange(dim, dtype=np.float32) + np.float32(i)


def build_map(path, n, dim, memory_limit=None):
    """The map of n keys; returns the seconds it took."""
    t0 = time.perf_counter()
    base = np.arange(dim, dtype=np.float32)
    with brine.frozen_map_builder(path, memory_limit=memory_limit, durable=False) as b:
        add = b.add
        for i in range(n):
            add(KEY_FORMAT % i, base + np.float32(i))
    return time.perf_counter() - t0


def build_pickle(path, n, dim):
    """The seed's dict, pickled; returns the seconds it took."""
    t0 = time.perf_counter()
    base = np.arange(dim, dtype=np.float32)
    d = {KEY_FORMAT % i: base + np.float32(i) for i in range(n)}
    with open(path, "wb") as f:
        pickle.dump(d, f, protocol=5)
    del d
    gc.collect()
    return time.perf_counter() - t0


# --- what a worker does ---------------------------------------------------------

def smaps_rollup():
    """This process's memory, in bytes: Rss, Pss, Private_Clean, ..."""
    out = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1]) * 1024
    return out


def private_bytes(rollup):
    return rollup["Private_Clean"] + rollup["Private_Dirty"]


def get_dict(source):
    """A frozen_map is used as it is; a path is the seed's pickled dict."""
    if isinstance(source, brine.frozen_map):
        return source
    with open(source, "rb") as f:
        return pickle.load(f)


def lookups(d, n_keys, seed, seconds=None, count=None):
    """Random lookups (hits), each checked against the value it must be.
    Returns (lookups done, seconds, wrong values)."""
    rng = np.random.default_rng(seed)
    done = wrong = 0
    t0 = time.perf_counter()
    while True:
        idx = rng.integers(0, n_keys, size=1000).tolist()
        keys = [KEY_FORMAT % i for i in idx]
        for i, key in zip(idx, keys):
            v = d[key]
            if v[0] != np.float32(i):
                wrong += 1
        done += len(keys)
        elapsed = time.perf_counter() - t0
        if (count is not None and done >= count) or (seconds is not None and elapsed >= seconds):
            return done, elapsed, wrong


def process_worker(source, n_keys, seed, seconds, count, barrier, results):
    """One multiprocessing worker: wait until all exist (so that the pages
    they share from a fork are shared as many ways at the start as at the
    end), get the dict, wait for all, look up, wait, measure while every
    worker still holds its dict, wait, report."""
    barrier.wait(BARRIER_TIMEOUT)
    start = smaps_rollup()
    t0 = time.perf_counter()
    d = get_dict(source)
    load_seconds = time.perf_counter() - t0
    ready = smaps_rollup()
    barrier.wait(BARRIER_TIMEOUT)
    done, elapsed, wrong = lookups(d, n_keys, seed, seconds, count)
    barrier.wait(BARRIER_TIMEOUT)
    after = smaps_rollup()
    barrier.wait(BARRIER_TIMEOUT)
    results.put(dict(pid=os.getpid(), start=start, ready=ready, after=after, load_seconds=load_seconds,
                     lookups=done, seconds=elapsed, wrong=wrong))


def run_processes(method, source, n_keys, workers, seconds=None, count=None):
    """Runs `workers` processes with the multiprocessing start method
    `method` ("fork" or "spawn"); returns their reports."""
    import multiprocessing as mp
    ctx = mp.get_context(method)
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [ctx.Process(target=process_worker, args=(source, n_keys, 1000 + i, seconds, count, barrier, results))
             for i in range(workers)]
    for p in procs:
        p.start()
    try:
        reports = [results.get(timeout=BARRIER_TIMEOUT) for _ in procs]
    finally:
        for p in procs:
            p.join(BARRIER_TIMEOUT)
            if p.exitcode is None:
                p.kill()
    return reports


# dask workers are long-lived: the dict a task got stays on its worker (held,
# as a worker would hold it) until the measurement and the cleanup that follow.
HELD = "_brine_bench_held_dict"


def dask_task(source, n_keys, seed, seconds, count):
    from distributed import get_worker
    start = smaps_rollup()
    t0 = time.perf_counter()
    d = get_dict(source)
    load_seconds = time.perf_counter() - t0
    setattr(get_worker(), HELD, d)
    ready = smaps_rollup()
    done, elapsed, wrong = lookups(d, n_keys, seed, seconds, count)
    return dict(pid=os.getpid(), start=start, ready=ready, load_seconds=load_seconds,
                lookups=done, seconds=elapsed, wrong=wrong)


def dask_measure():
    return os.getpid(), smaps_rollup()


def dask_release(dask_worker):
    if hasattr(dask_worker, HELD):
        delattr(dask_worker, HELD)
    gc.collect()


def start_cluster(workers):
    """A LocalCluster of `workers` processes on loopback; None without
    dask.distributed. The caller closes both."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None, None
    cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, host="127.0.0.1",
                           dashboard_address=None)
    return cluster, Client(cluster)


def run_dask(client, source, n_keys, seconds=None, count=None):
    """One task per worker of the cluster, all at once; returns their
    reports with `after` measured on every worker once all are done."""
    addresses = sorted(client.scheduler_info()["workers"])
    futures = [client.submit(dask_task, source, n_keys, 2000 + i, seconds, count, pure=False,
                             workers=[a], allow_other_workers=False)
               for i, a in enumerate(addresses)]
    reports = client.gather(futures)
    after = dict(client.run(dask_measure).values())
    client.run(dask_release)
    for r in reports:
        r["after"] = after[r["pid"]]
    return reports


# --- the bench -------------------------------------------------------------------

def summary(reports):
    """The figures of one run (bytes, seconds, lookups per second)."""
    return dict(
        workers=len(reports),
        load_seconds=sum(r["load_seconds"] for r in reports) / len(reports),
        lookups_per_second=sum(r["lookups"] / r["seconds"] for r in reports),
        total_pss=sum(r["after"]["Pss"] for r in reports),
        pss_growth=sum(r["after"]["Pss"] - r["start"]["Pss"] for r in reports),
        max_private_growth=max(private_bytes(r["after"]) - private_bytes(r["start"]) for r in reports),
        wrong=sum(r["wrong"] for r in reports),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--dask-workers", type=int, default=4)
    ap.add_argument("--modes", default="fork,spawn,dask")
    ap.add_argument("--impls", default="brine,pickle")
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    modes = args.modes.split(",")
    impls = args.impls.split(",")
    mib = 1 << 20

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        map_path = os.path.join(tmp, "shared.brinemap")
        pickle_path = os.path.join(tmp, "shared.pkl")
        print("%d keys, float32[%d] values; %s" % (args.keys, args.dim, os.uname().release))
        sources = {}
        if "brine" in impls:
            t = build_map(map_path, args.keys, args.dim)
            print("brine.frozen_map_builder: %.2f s, %.1f MiB" % (t, os.path.getsize(map_path) / mib))
            sources["brine"] = brine.frozen_map(map_path)
        if "pickle" in impls:
            t = build_pickle(pickle_path, args.keys, args.dim)
            print("pickle.dump of the dict:  %.2f s, %.1f MiB" % (t, os.path.getsize(pickle_path) / mib))
            sources["pickle"] = pickle_path
        gc.collect()

        rows = []
        for mode in modes:
            cluster = client = None
            if mode == "dask":
                cluster, client = start_cluster(args.dask_workers)
                if client is None:
                    print("dask.distributed is not installed: no dask rows")
                    continue
            try:
                for impl in impls:
                    if mode == "dask":
                        reports = run_dask(client, sources[impl], args.keys, seconds=args.seconds)
                    else:
                        reports = run_processes(mode, sources[impl], args.keys, args.workers, seconds=args.seconds)
                    s = summary(reports)
                    rows.append((mode, impl, s))
                    print("  %-5s %-6s done" % (mode, impl), flush=True)
            finally:
                if client is not None:
                    client.close()
                    cluster.close()

        print()
        print("| workers | dict | get the dict (s, mean) | lookups/s (all workers) | total PSS MiB | PSS growth MiB | max private growth MiB/worker | wrong |")
        print("|---|---|---|---|---|---|---|---|")
        for mode, impl, s in rows:
            print("| %d × %s | %s | %.3f | %.0f | %.1f | %.1f | %.1f | %d |" % (
                s["workers"], mode, impl, s["load_seconds"], s["lookups_per_second"], s["total_pss"] / mib,
                s["pss_growth"] / mib, s["max_private_growth"] / mib, s["wrong"]))
        by = {(m, i): s for m, i, s in rows}
        print()
        for mode in modes:
            if (mode, "brine") in by and (mode, "pickle") in by:
                b, p = by[(mode, "brine")], by[(mode, "pickle")]
                print("%s: total PSS pickle/brine %.1f×, PSS growth pickle/brine %.0f×, lookups/s brine/pickle %.2f×, "
                      "getting the dict %.3f s (pickle) vs %.2f ms (brine)" % (
                          mode, p["total_pss"] / b["total_pss"], p["pss_growth"] / max(b["pss_growth"], mib),
                          b["lookups_per_second"] / p["lookups_per_second"], p["load_seconds"], b["load_seconds"] * 1e3))


if __name__ == "__main__":
    sys.exit(main())
