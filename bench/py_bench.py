"""One Python measurement per process, for bench/run.py. Run with Debian's
/usr/bin/python3 (python3-joblib, python3-numpy; python3-lz4 for joblib's lz4).

  py_bench.py joblib-dump      W FILE CODEC   joblib.dump(obj, FILE, compress=(CODEC, 3)); raw: compress=0
  py_bench.py joblib-load      W FILE         joblib.load(FILE)
  py_bench.py joblib-load-mmap W FILE         joblib.load(FILE, mmap_mode="r")
  py_bench.py np-dump          W FILE KIND    np.savez (KIND=savez) or np.savez_compressed (KIND=savez_compressed)
  py_bench.py np-load          W FILE         np.load(FILE) and every member read
  py_bench.py check-w3         FILE           is W3's image block, as made here, inside FILE (a raw brine file)?

Prints one line "RESULT key=value ..." with the same fields as
bench/measure.hpp: seconds, cpu, peak_kib (VmHWM, reset just before the
operation), base_kib, rss_kib, rchar, and size / ok.
"""
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads  # noqa: E402


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def rchar():
    with open("/proc/self/io") as f:
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return -1


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Measurement:
    def __enter__(self):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        self.base = status_kib("VmRSS")
        self.r0, self.c0, self.t0 = rchar(), cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self.cpu = cpu() - self.c0
        self.peak = status_kib("VmHWM")
        self.rss = status_kib("VmRSS")
        self.rchar = rchar() - self.r0
        return False

    def report(self, extra):
        print("RESULT seconds=%.6f cpu=%.4f peak_kib=%d base_kib=%d rss_kib=%d rchar=%d %s"
              % (self.seconds, self.cpu, self.peak, self.base, self.rss, self.rchar, extra), flush=True)


def main(argv):
    op = argv[1]
    if op == "check-w3":
        images = workloads.make_w3()["images"].tobytes()
        with open(argv[2], "rb") as f:
            data = f.read()
        print("W3 images identical in C++ and Python:", data.find(images) >= 0)
        return 0
    w, path = argv[2], argv[3]
    if op in ("joblib-dump", "joblib-load", "joblib-load-mmap"):
        import joblib
    if op == "joblib-dump":
        codec = argv[4]
        compress = 0 if codec == "raw" else (codec, 3)
        obj = workloads.MAKE[w]()
        with Measurement() as m:
            joblib.dump(obj, path, compress=compress)
        m.report("size=%d data=%d" % (os.path.getsize(path), workloads.data_bytes(w, obj)))
    elif op in ("joblib-load", "joblib-load-mmap"):
        with Measurement() as m:
            obj = joblib.load(path, mmap_mode="r" if op.endswith("mmap") else None)
        m.report("ok=%d" % workloads.check(w, obj))
    elif op == "np-dump":
        obj = workloads.MAKE[w]()
        if w == "W1":
            arrays = {"a": obj[0], "b": obj[1]}
        elif w == "W3":
            arrays = {"images": obj["images"], "target": obj["target"], "names": np.array(obj["names"])}
        else:
            raise SystemExit("np-dump: %s does not apply" % w)
        save = np.savez if argv[4] == "savez" else np.savez_compressed
        with Measurement() as m:
            save(path, **arrays)
        m.report("size=%d data=%d" % (os.path.getsize(path), workloads.data_bytes(w, obj)))
    elif op == "np-load":
        with Measurement() as m:
            with np.load(path) as z:
                arrays = {k: z[k] for k in z.files}
        if w == "W1":
            obj = [arrays["a"], arrays["b"]]
        else:
            obj = {"images": arrays["images"], "target": arrays["target"], "names": arrays["names"].tolist()}
        m.report("ok=%d" % workloads.check(w, obj))
    else:
        raise SystemExit("unknown op " + op)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
