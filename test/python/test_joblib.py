"""brine.joblib_load / brine.joblib_dump against Python's joblib."""
import pickle

import numpy as np
import pytest

import brine

joblib = pytest.importorskip("joblib")


def sample():
    return {"w": np.arange(12, dtype="float32").reshape(3, 4), "names": ["a", "b"], "n": 3, "x": 2.5,
            "flag": True, "nested": {"k": [np.ones(3, dtype="int64"), None, b"raw"]}}


@pytest.mark.parametrize("ext", ["", ".gz", ".z", ".bz2", ".xz", ".lzma", ".lz4"])
def test_joblib_files_load_without_joblib(tmp, ext):
    if ext == ".lz4":
        pytest.importorskip("lz4")
    path = tmp / ("x.pkl" + ext)
    codec = {".gz": "gzip", ".z": "zlib", ".bz2": "bz2", ".xz": "xz", ".lzma": "lzma", ".lz4": "lz4"}.get(ext)
    joblib.dump(sample(), path, compress=(codec, 3) if codec else 0)
    back = brine.joblib_load(path)
    assert back["names"] == ["a", "b"] and back["n"] == 3 and back["flag"] is True
    assert np.array_equal(back["w"], sample()["w"]) and back["w"].dtype == np.float32
    assert back["nested"]["k"][2] == b"raw"


def test_joblib_mmap(tmp):
    path = tmp / "x.pkl"
    joblib.dump(sample(), path)
    back = brine.joblib_load(path, mmap_mode="r")
    assert not back["w"].flags.writeable and np.array_equal(back["w"], sample()["w"])


@pytest.mark.parametrize("ext", ["", ".gz", ".bz2", ".xz"])
def test_joblib_dump_is_read_by_joblib(tmp, ext):
    path = tmp / ("y.pkl" + ext)
    brine.joblib_dump(sample(), path)
    back = joblib.load(path)
    want = sample()
    assert back["names"] == want["names"] and back["n"] == 3 and back["nested"]["k"][2] == b"raw"
    assert np.array_equal(back["w"], want["w"]) and back["w"].dtype == np.float32


class Evil:
    def __reduce__(self):
        import os
        return (os.system, ("touch pwned",))


def test_joblib_load_runs_no_code(tmp, monkeypatch):
    monkeypatch.chdir(tmp)
    path = tmp / "evil.pkl"
    with open(path, "wb") as f:
        pickle.dump({"x": Evil()}, f, protocol=4)
    with pytest.raises(brine.Error, match="posix.system|os.system"):
        brine.joblib_load(path)
    assert not (tmp / "pwned").exists()


def test_pyobject_is_a_plain_holder():
    o = brine.PyObject("fractions", "Fraction", args=("1/3",))
    assert (o.module, o.qualname, o.args, o.state) == ("fractions", "Fraction", ("1/3",), None)
    assert o == brine.PyObject("fractions", "Fraction", args=("1/3",))


def test_tuples_stay_tuples_through_joblib_files(tmp):
    obj = {"t": (1, ("a", 2.5), []), "l": [(), (1,)]}
    path = tmp / "t.pkl"
    joblib.dump(obj, path)
    assert brine.joblib_load(path) == obj
    out = tmp / "u.pkl.gz"
    brine.joblib_dump(obj, out)
    assert joblib.load(out) == obj
