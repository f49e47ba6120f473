"""Files of joblib < 0.10: a pickle plus companion files beside it (.npy for
NDArrayWrapper; Z-files .npy.z for ZNDArrayWrapper, with the pickle itself in
a Z-file). The fixtures are written here the way joblib 0.9 wrote them, with
joblib's own numpy_pickle_compat helpers, and checked against joblib.load
first so that they are faithful."""
import contextlib
import os
import pickle
import subprocess

import numpy as np
import pytest

import brine

joblib = pytest.importorskip("joblib")
# joblib.load warns that these files are old; that is the point.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
compat = pytest.importorskip("joblib.numpy_pickle_compat")


@contextlib.contextmanager
def old_joblib_class_names():
    # joblib < 0.10 defined the wrappers in joblib.numpy_pickle; joblib 1.x
    # still imports them there, so pickles naming it resolve both ways.
    classes = (compat.NDArrayWrapper, compat.ZNDArrayWrapper)
    saved = [c.__module__ for c in classes]
    for c in classes:
        c.__module__ = "joblib.numpy_pickle"
    try:
        yield
    finally:
        for c, m in zip(classes, saved):
            c.__module__ = m


def old_dump(value, path, compress=0, rename=None):
    """joblib 0.9's dump: every non-object array goes to a companion file
    named <pickle>_NN.npy(.z). `rename` maps a companion's name to the name
    the pickle records (to make hostile files)."""
    path = str(path)
    directory, base = os.path.split(path)
    count = [0]

    def wrap(v):
        if isinstance(v, np.ndarray) and not v.dtype.hasobject:
            count[0] += 1
            name = "%s_%02i.npy" % (base, count[0])
            if compress:
                name += ".z"
                _, init_args, state = v.__reduce__()
                with open(os.path.join(directory, name), "wb") as f:
                    compat.write_zfile(f, state[-1], compress)
                wrapper = compat.ZNDArrayWrapper(name, init_args, state[:-1])
            else:
                np.save(os.path.join(directory, name), v)
                wrapper = compat.NDArrayWrapper(name, type(v))
            if rename:
                wrapper.filename = rename(wrapper.filename)
            return wrapper
        if isinstance(v, dict):
            return {k: wrap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [wrap(x) for x in v]
        return v

    with old_joblib_class_names():
        data = pickle.dumps(wrap(value), protocol=2)
    with open(path, "wb") as f:
        if compress:
            compat.write_zfile(f, data, compress)
        else:
            f.write(data)


def sample():
    rng = np.random.default_rng(7)
    return {
        "coef": rng.random((40, 30)),
        "fortran": np.asfortranarray(np.arange(24, dtype="int32").reshape(4, 6)),
        "big_endian": np.arange(10, dtype=">f8"),
        "labels": ["a", "b"],
        "n": 3,
        "nested": [np.ones(5, dtype="uint8"), None],
    }


def assert_sample(back):
    want = sample()
    for key in ("coef", "fortran", "big_endian"):
        assert np.array_equal(back[key], want[key]), key
        assert back[key].shape == want[key].shape
    assert back["big_endian"].dtype == np.float64  # read in, so native order, as joblib does
    assert back["labels"] == ["a", "b"] and back["n"] == 3
    assert np.array_equal(back["nested"][0], want["nested"][0]) and back["nested"][1] is None


@pytest.mark.parametrize("compress", [0, 3])
def test_old_joblib_files_load(tmp, compress):
    path = tmp / "model.pkl"
    old_dump(sample(), path, compress)
    assert (tmp / ("model.pkl_01.npy" + (".z" if compress else ""))).exists()
    assert_sample(joblib.load(path))  # the fixture is what joblib reads
    assert_sample(brine.joblib_load(path))


def test_old_joblib_companions_are_mapped(tmp):
    path = tmp / "model.pkl"
    old_dump(sample(), path)
    back = brine.joblib_load(path, mmap_mode="r")
    assert not back["coef"].flags.writeable and np.array_equal(back["coef"], sample()["coef"])


def test_old_joblib_zfile_of_dates_and_of_an_unknown_dtype(tmp):
    path = tmp / "dates.pkl"
    dates = np.array(["2020-01-01", "NaT", "2021-06-30"], dtype="datetime64[D]")
    names = np.array(["ab", "cde"])
    old_dump({"d": dates, "u": names}, path, compress=1)
    back = brine.joblib_load(path)
    assert back["d"].dtype == dates.dtype and np.array_equal(back["d"], dates, equal_nan=True)
    assert back["u"].dtype == names.dtype and np.array_equal(back["u"], names)
    brine.joblib_dump(back, tmp / "again.pkl")
    again = joblib.load(tmp / "again.pkl")
    assert np.array_equal(again["u"], names) and np.array_equal(again["d"], dates, equal_nan=True)


def test_old_joblib_in_the_cli(tmp):
    cli = os.environ.get("BRINE_CLI")
    if not cli:
        pytest.skip("BRINE_CLI is not set")
    path = tmp / "model.pkl"
    old_dump(sample(), path, compress=3)
    ls = subprocess.run([cli, "ls", str(path)], capture_output=True, text=True, check=True).stdout
    assert "joblib, codec zlib" in ls and "coef: array float64 (40, 30)" in ls
    cat = subprocess.run([cli, "cat", str(path), "fortran"], capture_output=True, text=True, check=True).stdout
    assert "shape=(4, 6), [[0, 1, 2, 3, 4, 5], [6, 7," in cat


@pytest.mark.parametrize("name", ["../outside.npy", "/etc/passwd", "sub/x.npy", "..", ""])
def test_old_joblib_companion_names_outside_the_directory_are_refused(tmp, name):
    path = tmp / "evil.pkl"
    old_dump({"a": np.ones(3)}, path, rename=lambda _: name)
    with pytest.raises(brine.Error, match="refusing joblib < 0.10 companion file name"):
        brine.joblib_load(path)


def test_old_joblib_missing_companion_is_named(tmp):
    path = tmp / "gone.pkl"
    old_dump({"a": np.ones(3)}, path, compress=3)
    os.remove(tmp / "gone.pkl_01.npy.z")
    with pytest.raises(brine.Error, match="gone.pkl_01.npy.z"):
        brine.joblib_load(path)


def test_old_joblib_zfile_length_must_match(tmp):
    path = tmp / "liar.pkl"
    old_dump({"a": np.ones(100)}, path, compress=3)
    companion = tmp / "liar.pkl_01.npy.z"
    raw = companion.read_bytes()
    # The header says one byte more than the zlib stream holds.
    companion.write_bytes(b"ZF" + b"0x321".ljust(19) + raw[21:])
    with pytest.raises(brine.Error, match="Z-file header declares 801"):
        brine.joblib_load(path)
    # A companion cut short.
    companion.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(brine.Error, match="liar.pkl_01.npy.z"):
        brine.joblib_load(path)

