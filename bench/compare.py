#!/usr/bin/python3
"""Compares brine's rows of two or more bench/run.py runs of two builds:

    bench/compare.py --before A1/results.json A2/results.json --after B1/results.json B2/results.json

For each brine measurement (workload, codec, threads, operation) it takes
the best wall time and the best CPU time over each side's runs (the machine
is shared: the best of several runs is the least disturbed one) and prints
after / before. Interleave the runs (A, B, A, B) so both sides see the same
load. Rows whose ratio passes --flag (default 1.10) are marked.
"""
import argparse
import json
import math


def best(paths):
    rows = {}
    for p in paths:
        with open(p) as f:
            for r in json.load(f)["records"]:
                if not r.get("impl", "").startswith("brine"):
                    continue
                key = (r["workload"], r["impl"], r.get("codec", "-"), r.get("threads", 1), r["op"])
                wall, cpu = r["seconds"], r.get("cpu", float("nan"))
                old = rows.get(key)
                rows[key] = (min(old[0], wall), min(old[1], cpu)) if old else (wall, cpu)
    return rows


def geometric_mean(xs):
    xs = [x for x in xs if x == x]  # not NaN
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", nargs="+", required=True)
    ap.add_argument("--after", nargs="+", required=True)
    ap.add_argument("--flag", type=float, default=1.10, help="mark rows slower than this ratio")
    args = ap.parse_args()
    before, after = best(args.before), best(args.after)
    print("| workload | impl | codec | threads | op | before s | after s | wall after/before | CPU after/before |")
    print("|---|---|---|---|---|---|---|---|---|")
    walls, cpus = [], []
    for key in sorted(set(before) & set(after)):
        (bw, bc), (aw, ac) = before[key], after[key]
        wall, cpu = aw / bw, (ac / bc if bc else float("nan"))
        walls.append(wall)
        cpus.append(cpu)
        mark = " **slower**" if wall > args.flag and cpu > args.flag else ""
        print("| %s | %s | %s | %s | %s | %.4g | %.4g | %.2f | %.2f%s |" % (*key, bw, aw, wall, cpu, mark))
    print("\ngeometric mean after/before: wall %.3f, CPU %.3f over %d rows" % (geometric_mean(walls), geometric_mean(cpus), len(walls)))


if __name__ == "__main__":
    main()
