"""datetime64 and timedelta64 (format 1.2) through brine files, joblib files
and .npy files, against numpy and Python's joblib."""
import os
import subprocess

import numpy as np
import pytest

import brine

joblib = pytest.importorskip("joblib")

UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as", "15m", "3D"]


def sample(unit):
    rng = np.random.default_rng(3)
    ticks = rng.integers(-10**6, 10**6, size=7)
    dates = ticks.astype(f"M8[{unit}]")
    dates[2] = np.datetime64("NaT")
    spans = ticks.astype(f"m8[{unit}]")
    spans[5] = np.timedelta64("NaT")
    return {"dates": dates, "spans": spans, "one": dates[0], "gap": spans[1],
            "big_endian": dates.astype(dates.dtype.newbyteorder(">")),
            "fortran": np.asfortranarray(ticks[:6].reshape(2, 3).astype(f"M8[{unit}]"))}


def assert_same(back, want):
    for key, w in want.items():
        b = back[key]
        assert b.dtype.kind == w.dtype.kind and np.datetime_data(b.dtype) == np.datetime_data(w.dtype), key
        assert np.array_equal(np.asarray(b), np.asarray(w), equal_nan=True), key


@pytest.mark.parametrize("unit", UNITS)
def test_brine_files_keep_units_and_nat(tmp, unit):
    want = sample(unit)
    brine.dump(want, tmp / "t.brine.zst")
    back = brine.load(tmp / "t.brine.zst")
    assert_same(back, want)
    assert isinstance(back["one"], np.datetime64) and isinstance(back["gap"], np.timedelta64)


@pytest.mark.parametrize("unit", ["D", "ns", "15m", "Y"])
def test_joblib_files_both_ways(tmp, unit):
    want = sample(unit)
    joblib.dump(want, tmp / "t.pkl")
    assert_same(brine.joblib_load(tmp / "t.pkl"), want)
    brine.joblib_dump(want, tmp / "back.pkl.gz")
    assert_same(joblib.load(tmp / "back.pkl.gz"), want)


def test_generic_unit(tmp):
    want = {"a": np.array([1, 2, "NaT"], dtype="m8")}
    brine.dump(want, tmp / "g.brine")
    assert brine.load(tmp / "g.brine")["a"].dtype == np.dtype("m8")


def test_npy_and_the_cli(tmp):
    cli = os.environ.get("BRINE_CLI")
    if not cli:
        pytest.skip("BRINE_CLI is not set")
    a = np.array(["2020-01-31T12:30:05.000000123", "NaT"], dtype=">M8[ns]")
    np.save(tmp / "a.npy", a)
    out = subprocess.run([cli, "cat", str(tmp / "a.npy"), "--json"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == '["2020-01-31T12:30:05.000000123",null]'
    subprocess.run([cli, "convert", str(tmp / "a.npy"), str(tmp / "a.brine")], check=True, capture_output=True)
    subprocess.run([cli, "convert", str(tmp / "a.brine"), str(tmp / "b.npy")], check=True, capture_output=True)
    b = np.load(tmp / "b.npy")
    # Byte order as stored (brine keeps it), unit and values as numpy wrote them.
    assert b.dtype == a.dtype and np.array_equal(b, a, equal_nan=True)
    ls = subprocess.run([cli, "ls", str(tmp / "a.brine")], capture_output=True, text=True, check=True).stdout
    assert "datetime64[ns] (2,)" in ls and "brine v1.2" in ls


def test_pandas_datetime_columns_are_arrays(tmp):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"when": pd.date_range("2021-01-01", periods=5, freq="h"), "x": np.arange(5.0)})
    joblib.dump(frame, tmp / "f.pkl")
    # The frame is an object node; its datetime block is a datetime64[ns] array inside.
    brine.dump(brine.joblib_load(tmp / "f.pkl"), tmp / "f.brine")
    brine.joblib_dump(brine.load(tmp / "f.brine"), tmp / "f2.pkl")
    assert joblib.load(tmp / "f2.pkl").equals(frame)
    cli = os.environ.get("BRINE_CLI")
    if cli:
        ls = subprocess.run([cli, "ls", str(tmp / "f.brine")], capture_output=True, text=True, check=True).stdout
        assert "datetime64[ns]" in ls
