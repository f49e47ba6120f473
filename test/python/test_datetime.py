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


def test_npy_and_the_cli(tmp, cli):
    a = np.array(["2020-01-31T12:30:05.000000123", "NaT"], dtype=">M8[ns]")
    json_text, b, ls = cli.npy_round_trip(a, tmp)
    assert json_text == '["2020-01-31T12:30:05.000000123",null]'
    # Byte order as stored (brine keeps it), unit and values as numpy wrote them.
    assert b.dtype == a.dtype and np.array_equal(b, a, equal_nan=True)
    assert "datetime64[ns] (2,)" in ls and "brine v1.4" in ls


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


def test_python_datetimes_become_numpy_times(tmp):
    import datetime as dt
    values = {
        "when": dt.datetime(2021, 6, 30, 12, 30, 5, 123456),
        "day": dt.date(1969, 12, 31),
        "at": dt.time(23, 59, 58, 7),
        "gap": dt.timedelta(days=-1, seconds=5, microseconds=7),
        "fold": dt.datetime(2021, 11, 7, 1, 30, fold=1),
        "zoned": dt.datetime(2021, 6, 30, tzinfo=dt.timezone.utc),
    }
    for protocol in (2, 4):
        joblib.dump(values, tmp / "d.pkl", protocol=protocol)
        back = brine.joblib_load(tmp / "d.pkl")
        assert back["when"] == np.datetime64("2021-06-30T12:30:05.123456")
        assert back["when"].dtype == np.dtype("M8[us]")
        assert back["day"] == np.datetime64("1969-12-31") and back["day"].dtype == np.dtype("M8[D]")
        assert back["at"] == np.timedelta64(((23 * 60 + 59) * 60 + 58) * 10**6 + 7, "us")
        assert back["gap"] == np.timedelta64(-86400 * 10**6 + 5 * 10**6 + 7, "us")
        assert back["fold"] == np.datetime64("2021-11-07T01:30")
        # A zone-aware datetime stays a Python object, and goes back to joblib equal.
        assert isinstance(back["zoned"], brine.PyObject) and back["zoned"].qualname == "datetime"
        brine.joblib_dump(back, tmp / "again.pkl")
        again = joblib.load(tmp / "again.pkl")
        assert again["zoned"] == values["zoned"]
        # Naive ones come back as numpy scalars of the same instant.
        assert again["when"] == np.datetime64(values["when"]) and again["day"] == np.datetime64(values["day"])
        assert again["gap"] == np.timedelta64(values["gap"])


def test_python_datetime_out_of_range_is_an_error(tmp):
    # datetime.date's packed bytes with month 13: what no Python writes.
    data = b"\x80\x02cdatetime\ndate\nC\x04\x07\xe5\x0d\x01\x85R."
    (tmp / "bad.pkl").write_bytes(data)
    with pytest.raises(brine.Error, match="invalid date 2021-13-1"):
        brine.joblib_load(tmp / "bad.pkl")
