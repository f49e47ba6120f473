#!/usr/bin/python3
"""brine's benchmark driver: generates the workloads of issue 4, times brine
against Python joblib (and numpy, cereal, the codecs' own CLIs), then the
large-file checks (constant memory, mmap, open() of one entry).

Run it through bench/run.sh, which builds build-bench first:

    bash bench/run.sh            # the full run, ~30 min on a loaded 2-core machine
    bash bench/run.sh --quick    # a small subset, ~2-3 min

Every measurement is one process (bench/brine_bench, bench/cereal_bench,
bench/big_bench, bench/py_bench.py), so peak RSS is per operation: the
process resets its high-water mark just before the operation (generating the
workload does not count; holding it does). Times are wall-clock; the best
(minimum) of the repetitions is shown, and the peak RSS is the largest seen.
Caches are warm for the workload runs (each load follows its dump).

Results: printed as Markdown tables, and written to DIR/results.md and
DIR/results.json (DIR is --dir, /tmp/brine-bench by default).
"""
import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"

CODECS = ["none", "zlib", "gzip", "bz2", "lzma", "xz", "lz4", "zstd"]
EXT = {"none": ".brine", "zlib": ".brine.z", "gzip": ".brine.gz", "bz2": ".brine.bz2", "lzma": ".brine.lzma",
       "xz": ".brine.xz", "lz4": ".brine.lz4", "zstd": ".brine.zst"}
SLOW = {"bz2", "lzma", "xz"}
# joblib's names for the same codecs; it has no zstd.
JOBLIB = {"none": "raw", "zlib": "zlib", "gzip": "gzip", "bz2": "bz2", "lzma": "lzma", "xz": "xz", "lz4": "lz4"}
MIB = 1 << 20


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Runner:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.join(args.build, "bench")
        self.dir = args.dir
        self.records = []
        self.loads = []

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, cmd, tag, timeout=3600, env=None):
        """Runs one measuring process; returns its RESULT fields (None on failure)."""
        self.loads.append(loadavg())
        t0 = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **env) if env else None)
        fields = None
        for line in p.stdout.splitlines():
            if line.startswith("RESULT "):
                fields = {}
                for kv in line.split()[1:]:
                    k, v = kv.split("=", 1)
                    fields[k] = float(v)
        if p.returncode != 0 or fields is None or fields.get("ok", 1) != 1:
            log("  FAILED %s (rc %d): %s %s" % (tag, p.returncode, p.stderr.strip()[-500:], p.stdout.strip()[-300:]))
            return None
        log("  %-42s %8.3f s  cpu %7.2f s  peak %7.1f MiB  (%.0f s, load %.1f)"
            % (tag, fields["seconds"], fields["cpu"], fields["peak_kib"] / 1024, time.time() - t0, loadavg()))
        return fields

    def timed_cli(self, cmd, tag, stdout_path):
        """A codec CLI: wall and CPU time of the child, output to a file."""
        self.loads.append(loadavg())
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss = stdout_path + ".rss"
        t0 = time.perf_counter()
        with open(stdout_path, "wb") as out:
            p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss] + cmd, stdout=out, stderr=subprocess.PIPE)
        secs = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            log("  FAILED %s: %s" % (tag, p.stderr.decode()[-300:]))
            return None
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        with open(rss) as f:
            peak = int(f.read().split()[-1])
        os.remove(rss)
        log("  %-42s %8.3f s  cpu %7.2f s" % (tag, secs, cpu))
        return {"seconds": secs, "cpu": cpu, "peak_kib": peak, "size": os.path.getsize(stdout_path)}

    def record(self, **kw):
        self.records.append(kw)

    def repeat(self, n, cmd, tag, env=None):
        """n runs; the fastest's fields, with the largest peak seen and the median time."""
        got = [r for r in (self.run(cmd, tag, env=env) for _ in range(n)) if r]
        if not got:
            return None
        best = dict(min(got, key=lambda r: r["seconds"]))
        best["peak_kib"] = max(r["peak_kib"] for r in got)
        secs = sorted(r["seconds"] for r in got)
        best["median"] = secs[len(secs) // 2]
        best["reps"] = len(got)
        return best

    # ---- the workloads -------------------------------------------------
    def workload(self, w, codecs, reps_fast):
        log("== %s" % w)
        for codec in codecs:
            slow = codec in SLOW
            reps = 1 if slow else reps_fast
            f = self.path(w + EXT[codec])
            jf = self.path(w + "." + JOBLIB.get(codec, "x") + ".pkl")
            thread_counts = [2] if (slow and not self.args.slow_1thread) or codec == "lzma" else [2, 1]
            # brine, 2 threads then 1; joblib in between, so that both see the same load.
            for threads in thread_counts:
                r = self.repeat(reps if threads == 2 else 1,
                                [self.bin + "/brine_bench", "dump", w, f, codec, str(threads)],
                                "%s brine dump %s T%d" % (w, codec, threads))
                self.record(workload=w, impl="brine", codec=codec, threads=threads, op="dump", **(r or {}))
                if threads == 2 and codec in JOBLIB:
                    jr = self.repeat(1 if slow or codec in ("zlib", "gzip", "lz4") else reps_fast,
                                     [PY, HERE + "/py_bench.py", "joblib-dump", w, jf, JOBLIB[codec]],
                                     "%s joblib dump %s" % (w, JOBLIB[codec]))
                    self.record(workload=w, impl="joblib", codec=codec, threads=1, op="dump", **(jr or {}))
                if r is None:
                    continue
                r = self.repeat(reps if threads == 2 else 1, [self.bin + "/brine_bench", "load", w, f, str(threads)],
                                "%s brine load %s T%d" % (w, codec, threads))
                self.record(workload=w, impl="brine", codec=codec, threads=threads, op="load", **(r or {}))
                if w == "W1" and threads == 2 and codec in ("gzip", "zstd"):
                    r = self.repeat(reps, [self.bin + "/brine_bench", "load", w, f, "2"],
                                    "%s brine load %s T2, max_bytes 1 GiB" % (w, codec),
                                    env={"BRINE_BENCH_MAX_BYTES": str(1 << 30)})
                    self.record(workload=w, impl="brine, load_options::max_bytes = 1 GiB", codec=codec, threads=2,
                                op="load", **(r or {}))
                if w == "W2" and threads == 2:
                    r = self.repeat(reps, [self.bin + "/brine_bench", "load-value", w, f, "2"],
                                    "%s brine load-value %s T2" % (w, codec))
                    self.record(workload=w, impl="brine-value", codec=codec, threads=2, op="load", **(r or {}))
                if threads == 2 and codec in JOBLIB and os.path.exists(jf):
                    jr = self.repeat(1 if slow else reps_fast, [PY, HERE + "/py_bench.py", "joblib-load", w, jf],
                                     "%s joblib load %s" % (w, JOBLIB[codec]))
                    self.record(workload=w, impl="joblib", codec=codec, threads=1, op="load", **(jr or {}))
            if codec == "none":
                self.extras_raw(w, f, jf, reps_fast)
            for x in (f, jf):
                if os.path.exists(x) and not (codec == "none" and w == "W1"):
                    os.remove(x)
        self.others(w, reps_fast)

    def extras_raw(self, w, f, jf, reps):
        """Uncompressed: mmap loads; for W1 plain read/write of the same bytes."""
        if w == "W1":
            r = self.repeat(reps, [self.bin + "/brine_bench", "load", w, f, "2"], "W1 brine load, no checksum check",
                            env={"BRINE_BENCH_NO_VERIFY": "1"})
            self.record(workload=w, impl="brine, verify_checksums=false", codec="none", threads=2, op="load",
                        **(r or {}))
            nd = self.path("W1.not-durable.brine")
            r = self.repeat(reps, [self.bin + "/brine_bench", "dump", w, nd, "none", "2"], "W1 brine dump, not durable",
                            env={"BRINE_BENCH_NOT_DURABLE": "1"})
            self.record(workload=w, impl="brine, durable=false", codec="none", threads=2, op="dump", **(r or {}))
            if os.path.exists(nd):
                os.remove(nd)
            r = self.repeat(reps, [self.bin + "/brine_bench", "load-mmap", w, f], "W1 brine load mmap")
            self.record(workload=w, impl="brine", codec="none", threads=1, op="load-mmap", **(r or {}))
            if os.path.exists(jf):
                r = self.repeat(reps, [PY, HERE + "/py_bench.py", "joblib-load-mmap", w, jf], "W1 joblib load mmap")
                self.record(workload=w, impl="joblib", codec="none", threads=1, op="load-mmap", **(r or {}))
            copy = self.path("W1.copy")
            for fs in (1, 0):
                r = self.repeat(reps, [self.bin + "/brine_bench", "write-plain", f, copy, str(fs)],
                                "W1 plain write%s" % (" + fsync" if fs else ""))
                self.record(workload=w, impl="plain write" + (" + fsync" if fs else ""), codec="none", threads=1,
                            op="dump", **(r or {}))
            r = self.repeat(reps, [self.bin + "/brine_bench", "read-plain", f], "W1 plain read")
            self.record(workload=w, impl="plain read", codec="none", threads=1, op="load", **(r or {}))
            os.remove(copy)
        if w == "W3" and os.path.exists(f):
            p = subprocess.run([PY, HERE + "/py_bench.py", "check-w3", f], capture_output=True, text=True)
            log("  " + p.stdout.strip())
            self.w3_identical = "True" in p.stdout

    def others(self, w, reps):
        """numpy and cereal where they apply; the codec CLIs on W1's bytes."""
        kinds = ["savez", "savez_compressed"] if w in ("W1", "W3") else []
        if self.args.quick:
            kinds = kinds[:1]
        for kind in kinds:
            f = self.path("%s.%s.npz" % (w, kind))
            n = 1 if kind == "savez_compressed" else reps
            r = self.repeat(n, [PY, HERE + "/py_bench.py", "np-dump", w, f, kind], "%s numpy %s" % (w, kind))
            self.record(workload=w, impl="numpy " + kind, codec="-", threads=1, op="dump", **(r or {}))
            r = self.repeat(n, [PY, HERE + "/py_bench.py", "np-load", w, f], "%s numpy load %s" % (w, kind))
            self.record(workload=w, impl="numpy " + kind, codec="-", threads=1, op="load", **(r or {}))
            if os.path.exists(f):
                os.remove(f)
        cereal = self.bin + "/cereal_bench"
        if os.path.exists(cereal):
            f = self.path(w + ".cereal")
            r = self.repeat(reps, [cereal, "dump", w, f], "%s cereal dump" % w)
            self.record(workload=w, impl="cereal", codec="none", threads=1, op="dump", **(r or {}))
            r = self.repeat(reps, [cereal, "load", w, f], "%s cereal load" % w)
            self.record(workload=w, impl="cereal", codec="none", threads=1, op="load", **(r or {}))
            if os.path.exists(f):
                os.remove(f)
        if w == "W1" and os.path.exists(self.path("W1.brine")):
            self.clis(self.path("W1.brine"))
            os.remove(self.path("W1.brine"))
        jf = self.path("W1.raw.pkl")
        if w == "W1" and os.path.exists(jf):
            os.remove(jf)

    def clis(self, raw):
        """The codecs' own command-line tools on the same bytes (W1's raw brine file)."""
        tools = [("zstd", ["zstd", "-3", "-T2", "-q", "-c"], ["zstd", "-d", "-T2", "-q", "-c"]),
                 ("lz4", ["lz4", "-1", "-q", "-c"], ["lz4", "-d", "-q", "-c"]),
                 ("gzip", ["igzip", "-3", "-T", "2", "-c"], ["igzip", "-d", "-c"]),
                 ("gzip", ["pigz", "-3", "-p", "2", "-c"], ["pigz", "-d", "-p", "2", "-c"])]
        if self.args.slow_cli:
            tools += [("xz", ["xz", "-3", "-T2", "-c"], ["xz", "-d", "-T2", "-c"]),
                      ("bz2", ["bzip2", "-9", "-c"], ["bzip2", "-d", "-c"])]
        if self.args.quick:
            tools = tools[:1]
        packed, back = self.path("W1.cli"), self.path("W1.cli.out")
        for codec, comp, decomp in tools:
            if not shutil.which(comp[0]):
                continue
            r = self.timed_cli(comp + [raw], "W1 CLI " + " ".join(comp), packed)
            self.record(workload="W1", impl="CLI " + " ".join(comp[:-1] if comp[-1] == "-c" else comp), codec=codec,
                        threads=2 if "-T2" in comp or "2" in comp else 1, op="dump", **(r or {}))
            r = self.timed_cli(decomp + [packed], "W1 CLI " + " ".join(decomp), back)
            self.record(workload="W1", impl="CLI " + " ".join(decomp[:-1] if decomp[-1] == "-c" else decomp), codec=codec,
                        threads=2 if "-T2" in decomp or "2" in decomp else 1, op="load", **(r or {}))
        for x in (packed, back):
            if os.path.exists(x):
                os.remove(x)

    # ---- large files ---------------------------------------------------
    def big(self, big_mib, mmap_mib, codecs):
        log("== large files: %d MiB through %s; mmap of %d MiB and 4 MiB" % (big_mib, ",".join(codecs), mmap_mib))
        free = shutil.disk_usage(self.dir).free
        if free < (big_mib + mmap_mib) * MIB * 2:
            log("  skipped: only %d MiB free in %s" % (free // MIB, self.dir))
            return
        bb = self.bin + "/big_bench"
        for codec in codecs:
            f = self.path("big" + EXT[codec])
            r = self.run([bb, "make", f, str(big_mib), codec, "2"], "big dump %d MiB %s T2" % (big_mib, codec))
            self.record(workload="big", impl="brine", codec=codec, threads=2, op="dump", mib=big_mib, **(r or {}))
            if r is None:
                continue
            r = self.run([bb, "load", f, "2"], "big load %s T2" % codec)
            self.record(workload="big", impl="brine", codec=codec, threads=2, op="load", mib=big_mib, **(r or {}))
            r = self.repeat(3, [bb, "open-last", f, "2"], "big open()+last entry %s" % codec)
            self.record(workload="big", impl="brine", codec=codec, threads=2, op="open-last", mib=big_mib, **(r or {}))
            os.remove(f)
        for mib in (mmap_mib, 4):
            f = self.path("mmap%d.brine" % mib)
            r = self.run([bb, "make", f, str(mib), "none", "2"], "mmap file %d MiB" % mib)
            if r is None:
                continue
            cold = self.drop_caches()
            if cold:
                r = self.run([bb, "mmap", f], "mmap load %d MiB (cold)" % mib)
                self.record(workload="mmap", impl="brine", codec="none", threads=1, op="mmap-cold", mib=mib, **(r or {}))
            r = self.repeat(5, [bb, "mmap", f], "mmap load %d MiB (warm)" % mib)
            self.record(workload="mmap", impl="brine", codec="none", threads=1, op="mmap-warm", mib=mib, **(r or {}))
            if cold and self.drop_caches():
                r = self.run([bb, "open-last", f, "2"], "open()+last entry %d MiB (cold)" % mib)
                self.record(workload="mmap", impl="brine", codec="none", threads=1, op="open-last-cold", mib=mib,
                            **(r or {}))
            os.remove(f)

    def drop_caches(self):
        try:
            subprocess.run(["sync"], check=True)
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3")
            return True
        except OSError:
            return False


# ---- tables ----------------------------------------------------------------
def find(recs, **kw):
    for r in recs:
        if all(r.get(k) == v for k, v in kw.items()) and "seconds" in r:
            return r
    return None


def s(r, key="seconds"):
    return "%.3g" % r[key] if r and key in r else "—"


def mib(r):
    return "%.0f" % (r["peak_kib"] / 1024) if r and "peak_kib" in r else "—"


def ratio(a, b):
    return "%.2f×" % (a["seconds"] / b["seconds"]) if a and b and b["seconds"] > 0 else "—"


def size_mb(r):
    return "%.1f" % (r["size"] / 1e6) if r and "size" in r else "—"


def tables(recs, w):
    out = []
    out.append("### %s\n" % w)
    out.append("| codec | brine dump s | brine load s | brine dump / load s, 1 thread | brine MB | joblib dump s | "
               "joblib load s | joblib MB | dump ratio joblib/brine | load ratio joblib/brine | "
               "CPU s brine dump / load | CPU s joblib dump / load | "
               "peak RSS MiB brine dump / load | peak RSS MiB joblib dump / load |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in CODECS:
        bd, bl = find(recs, workload=w, impl="brine", codec=c, threads=2, op="dump"), \
            find(recs, workload=w, impl="brine", codec=c, threads=2, op="load")
        if not bd:
            continue
        b1d, b1l = find(recs, workload=w, impl="brine", codec=c, threads=1, op="dump"), \
            find(recs, workload=w, impl="brine", codec=c, threads=1, op="load")
        jd, jl = find(recs, workload=w, impl="joblib", codec=c, op="dump"), \
            find(recs, workload=w, impl="joblib", codec=c, op="load")
        out.append("| %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s |" % (
            c, s(bd), s(bl), s(b1d), s(b1l), size_mb(bd), s(jd), s(jl), size_mb(jd), ratio(jd, bd), ratio(jl, bl),
            s(bd, "cpu"), s(bl, "cpu"), s(jd, "cpu"), s(jl, "cpu"), mib(bd), mib(bl), mib(jd), mib(jl)))
    others = [r for r in recs if r["workload"] == w and "seconds" in r
              and (r["impl"] not in ("brine", "joblib") or r["op"] == "load-mmap")]
    if others:
        out.append("")
        out.append("| %s, other | op | codec | threads | s | CPU s | MB | peak RSS MiB |" % w)
        out.append("|---|---|---|---|---|---|---|---|")
        for r in others:
            out.append("| %s | %s | %s | %d | %s | %s | %s | %s |" % (r["impl"], r["op"], r["codec"], r["threads"], s(r),
                                                                     s(r, "cpu"), size_mb(r), mib(r)))
    out.append("")
    return out


def targets(recs, data_mib):
    """Issue 4 section 5, evaluated on W1."""
    out = ["### Targets (issue 4 section 5, W1)\n", "| target | measured | met |", "|---|---|---|"]
    g = lambda **kw: find(recs, workload="W1", **kw)  # noqa: E731

    def row(what, measured, ok):
        out.append("| %s | %s | %s |" % (what, measured, "—" if ok is None else ("yes" if ok else "**no**")))

    bd, bl = g(impl="brine", codec="none", threads=2, op="dump"), g(impl="brine", codec="none", threads=2, op="load")
    jd, jl = g(impl="joblib", codec="none", op="dump"), g(impl="joblib", codec="none", op="load")
    pw, pwf, pr = g(impl="plain write"), g(impl="plain write + fsync"), g(impl="plain read")
    if bd and jd:
        row("raw dump ≥ joblib", "joblib/brine %s (brine %s s, joblib %s s)" % (ratio(jd, bd), s(bd), s(jd)),
            jd["seconds"] >= bd["seconds"])
    if bl and jl:
        row("raw load ≥ joblib", "joblib/brine %s (brine %s s, joblib %s s)" % (ratio(jl, bl), s(bl), s(jl)),
            jl["seconds"] >= bl["seconds"])
    bnd = g(impl="brine, durable=false", op="dump")
    if bnd and jd:
        row("raw dump ≥ joblib, both without fsync (`dump_options::durable = false`)",
            "joblib/brine %s (brine %s s, joblib %s s)" % (ratio(jd, bnd), s(bnd), s(jd)), jd["seconds"] >= bnd["seconds"])
    if bnd and pw:
        row("raw dump within 1.3× of writing the same bytes, both without fsync",
            "brine/plain %s (plain write %s s)" % (ratio(bnd, pw), s(pw)), bnd["seconds"] <= 1.3 * pw["seconds"])
    if bd and pwf:
        row("raw dump within 1.3× of writing the same bytes (+ fsync, as brine does)",
            "brine/plain %s (plain write + fsync %s s; without fsync %s s, brine/that %s)"
            % (ratio(bd, pwf), s(pwf), s(pw), ratio(bd, pw)), bd["seconds"] <= 1.3 * pwf["seconds"])
    if bl and pr:
        row("raw load within 1.3× of reading the same bytes", "brine/plain %s (plain read %s s)" % (ratio(bl, pr), s(pr)),
            bl["seconds"] <= 1.3 * pr["seconds"])
    bd, bl = g(impl="brine", codec="gzip", threads=2, op="dump"), g(impl="brine", codec="gzip", threads=2, op="load")
    jd, jl = g(impl="joblib", codec="gzip", op="dump"), g(impl="joblib", codec="gzip", op="load")
    if bd and jd:
        row("gzip dump ≥ 10× joblib gzip-3, size ≤ 1.02×", "%s faster, size %.4f×" % (ratio(jd, bd), bd["size"] / jd["size"]),
            jd["seconds"] >= 10 * bd["seconds"] and bd["size"] <= 1.02 * jd["size"])
    if bl and jl:
        row("gzip load ≥ 3× joblib", ratio(jl, bl), jl["seconds"] >= 3 * bl["seconds"])
    for c in ("bz2", "xz"):
        for op in ("dump", "load"):
            b, j = g(impl="brine", codec=c, threads=2, op=op), g(impl="joblib", codec=c, op=op)
            if b and j:
                row("%s %s ≥ 1.8× joblib (2 threads)" % (c, op), ratio(j, b), j["seconds"] >= 1.8 * b["seconds"])
    for c in ("zstd", "lz4"):
        for op in ("dump", "load"):
            b = g(impl="brine", codec=c, threads=2, op=op)
            cli = next((r for r in recs if r["workload"] == "W1" and r["impl"].startswith("CLI " + c)
                        and r["op"] == op and "seconds" in r), None)
            if b and cli:
                row("%s %s near its CLI (%s)" % (c, op, cli["impl"][4:]),
                    "brine %s s, CLI %s s (CLI/brine %s)" % (s(b), s(cli), ratio(cli, b)), None)
    w2 = [(find(recs, workload="W2", impl="brine", codec="none", threads=2, op=op),
           find(recs, workload="W2", impl="joblib", codec="none", op=op), op) for op in ("dump", "load")]
    for b, j, op in w2:
        if b and j:
            row("W2 raw %s ≥ 20× joblib" % op, ratio(j, b), j["seconds"] >= 20 * b["seconds"])
    bv, jl = find(recs, workload="W2", impl="brine-value", codec="none", op="load"), \
        find(recs, workload="W2", impl="joblib", codec="none", op="load")
    if bv and jl:
        row("W2 raw load as brine::value ≥ 20× joblib", ratio(jl, bv), jl["seconds"] >= 20 * bv["seconds"])
    worst = [r for r in recs if r["workload"] == "W1" and r["impl"] == "brine" and "peak_kib" in r
             and r["op"] in ("dump", "load")]
    if worst:
        top = max(worst, key=lambda r: r["peak_kib"])
        row("peak RSS of any W1 dump/load ≤ data + 64 MiB (%.0f MiB)" % (data_mib + 64),
            "worst: %s MiB (%s %s, %d thread%s)" % (mib(top), top["codec"], top["op"], top["threads"],
                                                     "" if top["threads"] == 1 else "s"),
            top["peak_kib"] / 1024 <= data_mib + 64)
    out.append("")
    return out


def big_tables(recs):
    out = []
    big = [r for r in recs if r["workload"] == "big"]
    if big:
        m = big[0].get("mib", 0)
        out.append("### One %d MiB array: dump, load, and open() + one small entry at the end\n" % m)
        out.append("| codec | file MB | dump s | dump peak RSS MiB | load s | load peak RSS MiB | open()+entry s | "
                   "bytes read by open()+entry | CPU s |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for c in CODECS:
            d = find(big, codec=c, op="dump")
            if not d:
                continue
            l, o = find(big, codec=c, op="load"), find(big, codec=c, op="open-last")
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                c, size_mb(d), s(d), mib(d), s(l), mib(l), "%.4f" % o["seconds"] if o else "—",
                "%.1f MB" % (o["rchar"] / 1e6) if o else "—", s(o, "cpu")))
        out.append("")
    mm = [r for r in recs if r["workload"] == "mmap"]
    if mm:
        out.append("### mmap load (read_only) and open() on uncompressed files\n")
        out.append("| file | op | s | peak RSS MiB | RSS after MiB | bytes read |")
        out.append("|---|---|---|---|---|---|")
        for r in mm:
            if "seconds" in r:
                out.append("| %d MiB | %s | %.6f | %.1f | %.1f | %.1f KB |" % (r["mib"], r["op"], r["seconds"],
                                                                          r["peak_kib"] / 1024, r["rss_kib"] / 1024,
                                                                          r["rchar"] / 1e3))
        out.append("")
    return out


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "include"], capture_output=True,
                           text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem, 1), "kernel": platform.release(),
            "commit": commit + (" (+ uncommitted changes in src/ or include/)" if dirty else "")}


def report(info, records, reps, w3_identical, workloads):
    lines = ["## Results\n",
             "Machine: %s, %d cores, %.1f GiB RAM, Linux %s; brine commit %s. Run took %.1f min; the 1-minute load "
             "average, sampled before each measurement, was %s–%s (mean %s)." % (
                 info["cpu"], info["cores"], info["mem_gib"], info["kernel"], info["commit"], info["minutes"],
                 *(info["load_min_max_mean"] or ["?", "?", "?"])),
             "Times in seconds, best of the repetitions (brine fast codecs: %d; slow codecs and single-thread runs: 1). "
             "CPU s: user + system CPU seconds of the process (all threads). brine runs with 2 threads unless noted; "
             "joblib is single-threaded. MB = 10^6 bytes.\n" % reps]
    if w3_identical is not None:
        lines.append("W3 images made by C++ and by Python are byte-identical: %s.\n" % w3_identical)
    for w in workloads.split(","):
        lines += tables(records, w)
    if "W1" in workloads:
        lines += targets(records, 400e6 / MIB)
    lines += big_tables(records)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small subset (~2-3 min)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--dir", default="/tmp/brine-bench", help="where files go (deleted after use)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of the fast measurements (default 3)")
    ap.add_argument("--workloads", default="W1,W2,W3")
    ap.add_argument("--codecs", default=",".join(CODECS))
    ap.add_argument("--slow-1thread", action="store_true", help="also run bz2 and xz with 1 thread (slow)")
    ap.add_argument("--slow-cli", action="store_true", help="also time the xz and bzip2 CLIs on W1 (slow)")
    ap.add_argument("--no-big", action="store_true", help="skip the large-file measurements")
    ap.add_argument("--big-mib", type=int, default=2048)
    ap.add_argument("--mmap-mib", type=int, default=4096)
    ap.add_argument("--big-codecs", default="none,gzip,zstd,xz,lz4")
    ap.add_argument("--render", metavar="JSON", help="only print the tables of an earlier run's results.json")
    args = ap.parse_args()
    if args.render:
        with open(args.render) as f:
            d = json.load(f)
        print("\n".join(report(d["machine"], d["records"], d.get("reps", 3), d.get("w3_identical"),
                                 d.get("workloads", "W1,W2,W3"))))
        return
    if args.quick:
        args.reps = 1
        args.codecs = "none,gzip,zstd"
        args.big_mib, args.mmap_mib, args.big_codecs = 256, 256, "none,zstd"
    os.makedirs(args.dir, exist_ok=True)
    r = Runner(args)
    info = machine()
    t0 = time.time()
    info["load_start"] = os.getloadavg()
    log("brine bench: %s, %d cores, %.1f GiB, commit %s, load average %.1f"
        % (info["cpu"], info["cores"], info["mem_gib"], info["commit"], info["load_start"][0]))
    for w in args.workloads.split(","):
        codecs = args.codecs.split(",")
        if args.quick and w != "W1":
            codecs = ["none", "gzip"]
        r.workload(w, codecs, args.reps)
    if not args.no_big:
        r.big(args.big_mib, args.mmap_mib, args.big_codecs.split(","))
    info["minutes"] = round((time.time() - t0) / 60, 1)
    info["load_end"] = os.getloadavg()
    info["load_min_max_mean"] = [min(r.loads), max(r.loads), round(sum(r.loads) / len(r.loads), 1)] if r.loads else []
    w3 = getattr(r, "w3_identical", None)
    text = "\n".join(report(info, r.records, args.reps, w3, args.workloads))
    print(text)
    with open(os.path.join(args.dir, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(args.dir, "results.json"), "w") as f:
        json.dump({"machine": info, "records": r.records, "reps": args.reps, "w3_identical": w3,
                   "workloads": args.workloads}, f, indent=1)
    log("results: %s/results.md and results.json (%.1f min)" % (args.dir, info["minutes"]))


if __name__ == "__main__":
    main()
