"""mmap_mode: arrays are views of the mapped file that keep it mapped."""
import gc
import sys
import threading
import warnings

import numpy as np
import pytest

import brine


def write(tmp, name="m.brine"):
    path = tmp / name
    obj = {"a": np.arange(1000, dtype="float64"), "b": [np.ones((4, 5), dtype="int16"), "text"],
           "c": np.arange(6, dtype=">u4")}
    brine.dump(obj, path)
    return path, obj


def base_chain(a):
    while a.base is not None and isinstance(a.base, np.ndarray):
        a = a.base
    return a.base


def test_read_only_mapping_gives_read_only_views(tmp):
    path, obj = write(tmp)
    back = brine.load(path, mmap_mode="r")
    a = back["a"]
    assert not a.flags.writeable and not a.flags.owndata
    assert np.array_equal(a, obj["a"]) and np.array_equal(back["c"], obj["c"])
    assert a.ctypes.data % 64 == 0  # the payload is aligned in the file
    with pytest.raises(ValueError):
        a[0] = 1


def test_in_memory_load_gives_writeable_arrays(tmp):
    path, _ = write(tmp)
    a = brine.load(path)["a"]
    assert a.flags.writeable
    a[0] = 5  # owned memory


def test_r_plus_writes_through_to_the_file(tmp):
    path, _ = write(tmp)
    a = brine.load(path, mmap_mode="r+")["a"]
    assert a.flags.writeable
    a[1] = 42.0
    del a
    gc.collect()
    # When the last view lets go, brine stores the array's new checksum, so
    # the changed file is sound.
    assert brine.load(path)["a"][1] == 42.0
    assert brine.verify(path)


def test_copy_on_write_stays_private(tmp):
    path, obj = write(tmp)
    a = brine.load(path, mmap_mode="c")["a"]
    assert a.flags.writeable
    a[1] = 42.0
    assert np.array_equal(brine.load(path)["a"], obj["a"])


def test_the_mapping_outlives_the_load_in_any_order(tmp):
    path, obj = write(tmp)
    views = []
    for _ in range(3):
        back = brine.load(path, mmap_mode="r")
        views += [back["a"][10:20], back["b"][0].T, back["c"]]
        del back
    gc.collect()
    # Delete in an order unrelated to creation; use what is left each time.
    for i in (4, 0, 8, 2, 6, 1, 7, 3, 5):
        v = views[i]
        views[i] = None
        float(np.sum(v))
        del v
        gc.collect()
        for w in views:
            if w is not None:
                float(np.sum(w))


def test_mapped_file_stays_readable_after_replacement(tmp):
    path, obj = write(tmp)
    a = brine.load(path, mmap_mode="r")["a"]
    brine.dump({"a": np.zeros(3)}, path)  # atomic rename: the old inode lives on
    assert np.array_equal(a, obj["a"])


def test_load_mmap_is_independent_of_file_size(tmp):
    import time
    small = tmp / "small.brine"
    big = tmp / "big.brine"
    brine.dump({"w": np.ones(1000)}, small)
    brine.dump({"w": np.ones(40_000_000 // 8)}, big)
    def t(p):
        best = 1e9
        for _ in range(5):
            t0 = time.perf_counter()
            brine.load(p, mmap_mode="r")
            best = min(best, time.perf_counter() - t0)
        return best
    # 40 MB vs 8 KB: the mapped load does not read the payload.
    assert t(big) < 20 * t(small) + 0.002


def test_compressed_file_with_mmap_mode_loads_in_memory_with_a_warning(tmp):
    path = tmp / "z.brine.zst"
    brine.dump({"a": np.arange(10)}, path)
    with pytest.warns(UserWarning, match="zstd-compressed"):
        back = brine.load(path, mmap_mode="r")
    assert np.array_equal(back["a"], np.arange(10))


def test_bad_mmap_mode(tmp):
    path, _ = write(tmp)
    with pytest.raises(ValueError, match="mmap_mode"):
        brine.load(path, mmap_mode="w")
