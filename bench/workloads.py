"""The benchmark workloads of issue 4, generated bit for bit as
bench/workloads.hpp generates them for C++ (same formulas, same integer hash).

  W1  [ones((5000,5000)), uniform((5000,5000))]            400 MB
  W2  {"d": {"k0000000": float, ... 1 M}, "arrays": [100 k float64[8]]}
  W3  LFW-like {"images": float32 (13233, 62, 47), "target": int64 (13233,),
                "names": [13233 str]}

The uniform doubles come from splitmix64 (53 random bits, like numpy's
random()), so that both languages produce the same bytes.
"""
import numpy as np

_U = np.uint64
W1_SEED = 0
W2_DICT_SEED = 1 << 40
W2_ARRAYS_SEED = 2 << 40
W3_PARAM_SEED = 3 << 40
W3_NOISE_SEED = 4 << 40
W3_LABEL_SEED = 5 << 40

W2_KEYS, W2_ARRAYS = 1_000_000, 100_000
W3_N, W3_H, W3_W, W3_PEOPLE = 13233, 62, 47, 5749


def splitmix64(n):
    with np.errstate(over="ignore"):
        z = n.astype(np.uint64) + _U(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


def uniform(start, count):
    """The doubles number start .. start+count-1 of the fixed sequence."""
    n = np.arange(count, dtype=np.uint64) + _U(start)
    return (splitmix64(n) >> _U(11)).astype(np.float64) * 2.0**-53


def make_w1(n=5000):
    b = np.empty((n, n))
    flat = b.reshape(-1)
    step = 1 << 22
    for i in range(0, n * n, step):  # in slices: no 200 MB temporaries
        m = min(step, n * n - i)
        flat[i:i + m] = uniform(W1_SEED + i, m)
    return [np.ones((n, n)), b]


def make_w2():
    vals = uniform(W2_DICT_SEED, W2_KEYS).tolist()
    d = dict(zip(("k%07d" % i for i in range(W2_KEYS)), vals))
    m = uniform(W2_ARRAYS_SEED, 8 * W2_ARRAYS).reshape(W2_ARRAYS, 8)
    arrays = [row.copy() for row in m]
    return {"d": d, "arrays": arrays}


def w3_labels():
    return (uniform(W3_LABEL_SEED, W3_N) * W3_PEOPLE).astype(np.int64)


def make_w3():
    images = np.empty((W3_N, W3_H, W3_W), dtype=np.float32)
    y = np.arange(W3_H, dtype=np.float64)[:, None]
    x = np.arange(W3_W, dtype=np.float64)[None, :]
    p = uniform(W3_PARAM_SEED, 4 * W3_N).reshape(W3_N, 4)
    per = W3_H * W3_W
    chunk = 512
    for k0 in range(0, W3_N, chunk):
        k1 = min(W3_N, k0 + chunk)
        fx = (0.05 + 0.25 * p[k0:k1, 0])[:, None, None]
        fy = (0.05 + 0.25 * p[k0:k1, 1])[:, None, None]
        px = (6.283185307179586 * p[k0:k1, 2])[:, None, None]
        py = (6.283185307179586 * p[k0:k1, 3])[:, None, None]
        noise = uniform(W3_NOISE_SEED + k0 * per, (k1 - k0) * per).reshape(k1 - k0, W3_H, W3_W)
        v = (0.45 + 0.25 * np.sin(fx * x + px) * np.cos(fy * y + py)
             + 0.15 * np.cos(0.5 * fx * (x + y) + py) + 0.03 * (noise - 0.5))
        q = np.minimum(255.0, np.maximum(0.0, np.rint(255.0 * v)))
        images[k0:k1] = (q / 255.0).astype(np.float32)
    target = w3_labels()
    names = ["Person_%d" % t for t in target.tolist()]
    return {"images": images, "target": target, "names": names}


MAKE = {"W1": make_w1, "W2": make_w2, "W3": make_w3}


def data_bytes(w, obj):
    if w == "W1":
        return sum(a.nbytes for a in obj)
    if w == "W2":
        return W2_KEYS * 16 + W2_ARRAYS * 64
    return obj["images"].nbytes + obj["target"].nbytes + sum(len(s) for s in obj["names"])


def check(w, obj):
    """A spot check of loaded data (the same points the C++ side checks)."""
    if w == "W1":
        n = 5000
        return (len(obj) == 2 and obj[0][n - 1, n - 1] == 1.0
                and obj[1][0, 0] == uniform(W1_SEED, 1)[0]
                and obj[1][n - 1, n - 1] == uniform(W1_SEED + n * n - 1, 1)[0])
    if w == "W2":
        last = "k%07d" % (W2_KEYS - 1)
        return (len(obj["d"]) == W2_KEYS and obj["d"][last] == uniform(W2_DICT_SEED + W2_KEYS - 1, 1)[0]
                and len(obj["arrays"]) == W2_ARRAYS
                and obj["arrays"][-1][7] == uniform(W2_ARRAYS_SEED + 8 * W2_ARRAYS - 1, 1)[0])
    t = w3_labels()
    return (obj["images"].shape == (W3_N, W3_H, W3_W) and obj["target"][-1] == t[-1]
            and obj["names"][-1] == "Person_%d" % t[-1])
