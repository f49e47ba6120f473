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
    back = brine.joblib_load(path)
    assert isinstance(back["x"], brine.PyObject)
    assert back["x"].module in ("posix", "os") and back["x"].qualname == "system"
    assert back["x"].args == ("touch pwned",)
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


def test_unknown_classes_come_back_as_pyobject_and_go_back_to_joblib(tmp):
    from fractions import Fraction
    obj = {"f": Fraction(1, 3), "t": (1, Fraction(2, 5)), "w": np.arange(4.0)}
    path = tmp / "f.pkl"
    joblib.dump(obj, path)
    back = brine.joblib_load(path)
    f = back["f"]
    assert isinstance(f, brine.PyObject) and (f.module, f.qualname) == ("fractions", "Fraction")
    assert f.build == "REDUCE" and Fraction(*f.args) == Fraction(1, 3)  # the args of Fraction.__reduce__
    assert isinstance(back["t"], tuple) and back["t"][0] == 1 and Fraction(*back["t"][1].args) == Fraction(2, 5)
    out = tmp / "g.pkl.gz"
    brine.joblib_dump(back, out)
    again = joblib.load(out)
    assert again["f"] == Fraction(1, 3) and again["t"] == (1, Fraction(2, 5))
    assert np.array_equal(again["w"], obj["w"])
    # And through brine's own format.
    brine.dump(back, tmp / "f.brine")
    assert brine.load(tmp / "f.brine")["f"] == f


def test_a_scikit_learn_model_loads_as_data(tmp):
    linear_model = pytest.importorskip("sklearn.linear_model")
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    model = linear_model.LogisticRegression().fit(X, y)
    path = tmp / "model.joblib"
    joblib.dump(model, path)
    back = brine.joblib_load(path)
    assert isinstance(back, brine.PyObject) and back.qualname == "LogisticRegression"
    assert back.has_state and np.array_equal(back.state["coef_"], model.coef_)
    out = tmp / "model2.joblib"
    brine.joblib_dump(back, out)
    again = joblib.load(out)
    assert np.array_equal(again.predict(X), model.predict(X))
