"""Fixed-width string arrays, numpy's 'S<n>' and 'U<n>', and bytearrays (format 1.3),
through brine files, joblib files, .npy files, frozen maps and the CLI,
against numpy and Python's joblib."""
import os
import subprocess

import numpy as np
import pytest

import brine

joblib = pytest.importorskip("joblib")


def sample():
    words = np.array([["a", "bc", "d\u00e9f"], ["", "x\u2713", "\U0001f600z"]])
    return {
        "u": words,
        "big": words.astype(words.dtype.newbyteorder(">")),
        "fortran": np.asfortranarray(words),
        "s": np.array([b"a", b"\x00b", b"xyz", b""]),
        "labels": np.array(["cat", "dog", "cat"]),  # what a classifier's classes_ looks like
        "zero_d": np.array("scalar"),
        "empty": np.zeros((0, 2), dtype="U4"),
    }


def assert_same(back, want, keeps_byte_order=True):
    assert back.keys() == want.keys()
    for key, w in want.items():
        b = back[key]
        if w.ndim == 0 and isinstance(b, str):
            # A 0-d array comes back a numpy.str_, which is a str: written
            # back to joblib, it is one.
            assert b == w.item(), key
            continue
        assert isinstance(b, (np.ndarray, np.generic)), key
        if keeps_byte_order:
            assert b.dtype == w.dtype, (key, b.dtype, w.dtype)
        else:
            assert b.dtype == w.dtype.newbyteorder("="), (key, b.dtype, w.dtype)
        assert np.array_equal(b, w), key


@pytest.mark.parametrize("name", ["s.brine", "s.brine.zst", "s.brine.gz"])
def test_brine_files_keep_dtype_width_and_byte_order(tmp, name):
    want = sample()
    brine.dump(want, tmp / name)
    assert_same(brine.load(tmp / name), want)


def test_mapped_string_arrays_are_views_of_the_file(tmp):
    want = sample()
    brine.dump(want, tmp / "s.brine")
    back = brine.load(tmp / "s.brine", mmap_mode="r")
    assert_same(back, want)
    assert not back["u"].flags.writeable


def test_joblib_files_both_ways(tmp):
    want = sample()
    joblib.dump(want, tmp / "s.pkl")
    # joblib, and brine like it, hands back arrays read into memory in native order.
    assert_same(brine.joblib_load(tmp / "s.pkl"), want, keeps_byte_order=False)
    for name in ("back.pkl", "back.pkl.gz", "back.pkl.xz"):
        brine.joblib_dump(brine.joblib_load(tmp / "s.pkl"), tmp / name)
        assert_same(joblib.load(tmp / name), want, keeps_byte_order=False)


def test_numpy_string_scalars_are_str_and_bytes(tmp):
    want = {"str_": np.str_("h\u00e9"), "bytes_": np.bytes_(b"ab\x00c")}
    joblib.dump(want, tmp / "scalars.pkl")
    back = brine.joblib_load(tmp / "scalars.pkl")
    assert back == {"str_": "h\u00e9", "bytes_": b"ab\x00c"}
    brine.dump(want, tmp / "scalars.brine")
    assert brine.load(tmp / "scalars.brine") == back


def test_a_classifier_with_string_labels(tmp):
    sklearn = pytest.importorskip("sklearn.linear_model")
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8]])
    y = np.array(["spam", "ham", "ham", "spam"])
    model = sklearn.LogisticRegression().fit(X, y)
    joblib.dump(model, tmp / "model.joblib")
    brine.dump(brine.joblib_load(tmp / "model.joblib"), tmp / "model.brine")
    classes = brine.load(tmp / "model.brine").state["classes_"]
    assert classes.dtype == np.dtype("<U4") and list(classes) == ["ham", "spam"]
    cli = os.environ.get("BRINE_CLI")
    if cli:
        out = subprocess.run([cli, "cat", str(tmp / "model.joblib"), "classes_", "--json"],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip() == '["ham","spam"]'
    brine.joblib_dump(brine.joblib_load(tmp / "model.joblib"), tmp / "again.joblib")
    again = joblib.load(tmp / "again.joblib")
    assert list(again.predict(X)) == list(model.predict(X))


def test_frozen_map_values(tmp):
    want = sample()
    with brine.frozen_map_builder(tmp / "m.brinemap") as b:
        b.update(want)
    m = brine.frozen_map(tmp / "m.brinemap")
    assert_same({k: m[k] for k in want}, want)


def test_npy_and_the_cli(tmp, cli):
    a = np.array(["ab", "c\u00e9"], dtype=">U3")
    json_text, b, ls = cli.npy_round_trip(a, tmp)
    assert json_text == '["ab","c\u00e9"]'
    assert b.dtype == a.dtype and np.array_equal(b, a)
    assert "str[3] (2,)" in ls
    assert "'c\u00e9'" in cli("cat", tmp / "a.brine")
    # numpy lets a U element hold any 32-bit value; no text can hold one above U+10FFFF.
    odd = np.frombuffer(np.array([0x61, 0x110000], dtype="<u4").tobytes(), dtype="<U1")
    brine.dump(odd, tmp / "odd.brine")
    assert np.array_equal(brine.load(tmp / "odd.brine").view("<u4"), [0x61, 0x110000])
    assert cli("cat", tmp / "odd.brine", "--json").strip() == '["a",null]'


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_bytearray_comes_back_a_bytearray(tmp, protocol):
    want = {"ba": bytearray(b"x\x00\xff"), "b": b"x\x00\xff", "empty": bytearray()}
    brine.dump(want, tmp / "b.brine")
    back = brine.load(tmp / "b.brine")
    assert back == want and type(back["ba"]) is bytearray and type(back["b"]) is bytes
    joblib.dump(want, tmp / "b.pkl", protocol=protocol)
    back = brine.joblib_load(tmp / "b.pkl")
    assert type(back["ba"]) is bytearray and back == want
    brine.joblib_dump(back, tmp / "again.pkl", protocol=protocol)
    again = joblib.load(tmp / "again.pkl")
    assert type(again["ba"]) is bytearray and type(again["empty"]) is bytearray and again == want


def test_bytearray_in_a_frozen_map(tmp):
    want = {"ba": bytearray(b"x\x00\xff"), "b": b"xy", "big": bytearray(b"z" * 10000)}
    for options in ({}, {"compress_above": 64}):
        with brine.frozen_map_builder(tmp / "m.brinemap", **options) as b:
            b.update(want)
        m = brine.frozen_map(tmp / "m.brinemap")
        assert {k: m[k] for k in want} == want
        assert type(m["ba"]) is bytearray and type(m["big"]) is bytearray and type(m["b"]) is bytes


def test_a_dataframe_of_every_column_kind(tmp):
    """Issue 12's frame: int, float, string, datetime and categorical columns
    and a named index, through a brine file (zstd) and back to joblib, and
    through the CLI's convert both ways."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "i": np.arange(6), "x": np.linspace(0, 1, 6), "s": list("abcdef"),
        "when": pd.date_range("2021-01-01", periods=6, freq="h"),
        "c": pd.Categorical(["lo", "hi", "lo", "mid", "hi", "lo"]),
    }, index=pd.Index([10, 20, 30, 40, 50, 60], name="id"))
    joblib.dump(frame, tmp / "f.pkl")
    brine.dump(brine.joblib_load(tmp / "f.pkl"), tmp / "f.brine.zst")
    brine.joblib_dump(brine.load(tmp / "f.brine.zst"), tmp / "f2.pkl")
    back = joblib.load(tmp / "f2.pkl")
    assert back.equals(frame) and back.index.name == "id" and list(back.dtypes) == list(frame.dtypes)
    cli = os.environ.get("BRINE_CLI")
    if cli:
        subprocess.run([cli, "convert", str(tmp / "f.pkl"), str(tmp / "f3.brine")], check=True, capture_output=True)
        subprocess.run([cli, "convert", str(tmp / "f3.brine"), str(tmp / "f3.pkl.gz")], check=True, capture_output=True)
        assert joblib.load(tmp / "f3.pkl.gz").equals(frame)
