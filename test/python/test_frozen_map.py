"""brine.frozen_map and brine.frozen_map_builder; the shared-dictionary
scenario (seed 004) at small scale, with the workers of
bench/python_shared_map.py."""
import collections.abc
import gc
import os
import pickle
import sys

import numpy as np
import pytest

import brine
from test_roundtrip import DTYPES, same

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import python_shared_map as shared  # noqa: E402


def values():
    """A value of each kind brine stores, under a str, a bytes and an int key each."""
    out = [None, True, False, 0, -7, 2**63 - 1, 2**64 - 1, -2**63, 1.5, float("-inf"), -0.0, 2 - 3j,
           "", "text é ☃", b"", b"\x00\xff" * 5, [], [1, "a", None], (), (1, (2.5, b"x")), {},
           {"a": 1, "b": [np.arange(3)]}, {1: "one", (2, 3): "pair", b"k": None},
           np.float32(1.25), np.int8(-3), np.bool_(True), np.complex64(1 + 2j),
           np.arange(12, dtype=">i4").reshape(3, 4), np.asfortranarray(np.ones((3, 5))), np.zeros((0, 4)),
           np.arange(10, dtype="float64")[::2]]
    out += [np.arange(7).astype(d) for d in DTYPES]
    return out


def keys_for(i):
    return ["s%d" % i, b"b%d\x00" % i, i * 1000 - 37]


def build(path, items, **options):
    with brine.frozen_map_builder(path, **options) as b:
        for k, v in items:
            b.add(k, v)
    return brine.frozen_map(path)


@pytest.fixture
def sample(tmp):
    items = [(k, v) for i, v in enumerate(values()) for k in keys_for(i)]
    return build(tmp / "sample.brinemap", items), items


def test_round_trip_of_str_bytes_and_int_keys(sample):
    m, items = sample
    assert isinstance(m, collections.abc.Mapping)
    assert len(m) == len(items)
    for k, v in items:
        assert k in m
        same(m[k], v)
        same(m.get(k), m[k])
    # Iteration is in the order of adding, for keys, values and items.
    assert list(m) == [k for k, _ in items]
    assert list(m.keys()) == [k for k, _ in items]
    for (k, v), (k2, v2), v3 in zip(items, m.items(), m.values()):
        assert k == k2 and type(k) is type(k2)
        same(v2, m[k])
        same(v3, m[k])


def test_integer_keys_are_one_key_space(tmp):
    m = build(tmp / "ints.brinemap", [(0, "zero"), (-1, "minus one"), (2**63, "big"), (2**64 - 1, "max"), (5, "five")])
    assert m[np.int64(-1)] == "minus one" and m[np.uint64(2**64 - 1)] == "max"
    assert m[np.uint8(5)] == "five"
    assert m[False] == "zero"  # as in a dict: False == 0
    assert m[2**63] == "big"
    assert "5" not in m and b"5" not in m
    assert 2**64 not in m and -2**63 - 1 not in m


def test_update_takes_dicts_mappings_pairs_and_keywords(tmp):
    path = tmp / "u.brinemap"
    with brine.frozen_map_builder(path) as b:
        b.update({"a": 1, 2: "two"})
        b.update([(b"c", 3.0)], d=np.arange(3))
        b.update(build(tmp / "other.brinemap", [("e", "E")]))
        assert b.added == 5 and len(b) == 5
    m = brine.frozen_map(path)
    assert dict((k, v) for k, v in m.items() if k != "d") == {"a": 1, 2: "two", b"c": 3.0, "e": "E"}
    assert np.array_equal(m["d"], np.arange(3))


def test_missing_and_foreign_keys(sample):
    m, _ = sample
    with pytest.raises(KeyError) as e:
        m["absent"]
    assert e.value.args == ("absent",)
    for key in (1.5, None, (1, 2), "s\ud800", 2**70, -2**70, np.float64(1)):
        assert key not in m
        assert m.get(key) is None and m.get(key, 7) == 7
        with pytest.raises(KeyError):
            m[key]
    with pytest.raises(KeyError):
        m[[1]]  # even an unhashable key: a lookup finds nothing
    assert m.get("absent", "fallback") == "fallback"


def test_builder_refuses_keys_of_other_types(tmp):
    with brine.frozen_map_builder(tmp / "k.brinemap") as b:
        for key in (1.5, None, (1, 2), [1]):
            with pytest.raises(TypeError, match="str, bytes or int"):
                b.add(key, 1)
        with pytest.raises(OverflowError):
            b.add(2**64, 1)
        with pytest.raises(UnicodeEncodeError):
            b.add("s\ud800", 1)
        with pytest.raises(brine.UnsupportedError, match="set"):
            b.add("k", {1, 2})  # a value brine does not store; the builder stays usable
        b.add("k", 1)
    assert dict(brine.frozen_map(tmp / "k.brinemap")) == {"k": 1}


def test_arrays_are_read_only_views_of_the_mapping(tmp):
    m = build(tmp / "a.brinemap", [("a", np.arange(1000, dtype="float32")), ("b", np.ones((3, 4), dtype=">i8"))])
    a, again = m["a"], m["a"]
    assert not a.flags.writeable and not a.flags.owndata
    assert a.ctypes.data == again.ctypes.data  # the same bytes: the file's, not a copy
    assert a.ctypes.data % 64 == 0
    with pytest.raises(ValueError):
        a[0] = 1
    assert m["b"].dtype == np.dtype(">i8") and not m["b"].flags.writeable
    # Copy-on-write: writeable, private to the array.
    c = brine.frozen_map(tmp / "a.brinemap", mmap_mode="c")["a"]
    c[0] = 42
    assert m["a"][0] == 0 and brine.frozen_map(tmp / "a.brinemap")["a"][0] == 0
    with pytest.raises(ValueError, match="mmap_mode"):
        brine.frozen_map(tmp / "a.brinemap", mmap_mode="r+")


def test_arrays_and_iterators_keep_the_mapping_alive_in_any_order(tmp):
    path = tmp / "alive.brinemap"
    build(path, [("k%d" % i, np.full(100, i, dtype="int32")) for i in range(20)])
    held = []
    for _ in range(3):
        m = brine.frozen_map(path)
        held += [m["k3"], m["k7"][10:20], iter(m.values()), m["k11"].T, iter(m.items())]
        del m
        gc.collect()
    for i in (7, 0, 12, 3, 9, 14, 1, 5, 11, 2, 8, 13, 4, 10, 6):
        obj = held[i]
        held[i] = None
        if isinstance(obj, np.ndarray):
            assert obj.min() == obj.max()
        else:
            next(obj)  # an iterator reads on after its map is gone
        del obj
        gc.collect()
        for other in held:
            if isinstance(other, np.ndarray):
                assert int(other[0]) in (3, 7, 11)
    # A file replaced while mapped: the old arrays keep the old contents.
    m = brine.frozen_map(path)
    a = m["k3"]
    build(path, [("k3", np.zeros(100, dtype="int32"))])
    del m
    gc.collect()
    assert (a == 3).all()


def test_an_exception_in_the_with_block_leaves_no_file(tmp):
    path = tmp / "never.brinemap"
    with pytest.raises(RuntimeError):
        with brine.frozen_map_builder(path) as b:
            b.add("a", np.arange(100000))
            raise RuntimeError("stop")
    assert not path.exists()
    assert os.listdir(tmp) == []  # no temporary left behind either
    with pytest.raises(brine.Error, match="closed"):
        b.add("b", 1)

    # The same for an earlier map at that path: it stays as it was.
    build(path, [("old", 1)])
    with pytest.raises(KeyError):
        with brine.frozen_map_builder(path) as b:
            b.add("new", 2)
            {}["x"]
    assert dict(brine.frozen_map(path)) == {"old": 1}

    # A builder dropped unfinished writes nothing.
    b = brine.frozen_map_builder(tmp / "dropped.brinemap")
    b.add("a", 1)
    del b
    gc.collect()
    assert not (tmp / "dropped.brinemap").exists()


def test_duplicate_keys(tmp):
    path = tmp / "dup.brinemap"
    with pytest.raises(brine.Error, match="k1"):
        with brine.frozen_map_builder(path) as b:
            b.update([("k0", 0), ("k1", 1), ("k1", 2)])
    assert not path.exists()
    with brine.frozen_map_builder(path, on_duplicate="last_wins", memory_limit=1 << 20) as b:
        b.update([("k0", 0), ("k1", 1), ("k1", 2), (7, "a"), (7, "b")])
    m = brine.frozen_map(path)
    assert dict(m) == {"k0": 0, "k1": 2, 7: "b"} and len(m) == 3
    with pytest.raises(ValueError, match="on_duplicate"):
        brine.frozen_map_builder(tmp / "x.brinemap", on_duplicate="first_wins")


def test_finish_and_abort_by_hand(tmp):
    b = brine.frozen_map_builder(tmp / "h.brinemap", durable=False, compress_above=64)
    b.add("big", "x" * 10000)  # stored compressed, read back whole
    b.add("small", "y")
    b.finish()
    assert b.closed and b.added == 2
    m = brine.frozen_map(tmp / "h.brinemap")
    assert m["big"] == "x" * 10000 and m["small"] == "y"
    assert m.file_size < 10000
    m.verify()
    b = brine.frozen_map_builder(tmp / "g.brinemap")
    b.add("a", 1)
    b.abort()
    assert not (tmp / "g.brinemap").exists()


def write_new(path, data):
    # A new inode each time: rewriting a file in place under a live mapping
    # (an earlier map of it) is SIGBUS territory, for any mmap user.
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def corrupt_copies(data):
    """Every truncation, and every byte flipped."""
    for n in range(len(data)):
        yield "cut at %d" % n, data[:n]
    for i in range(len(data)):
        flipped = bytearray(data)
        flipped[i] ^= 0x5A
        yield "byte %d flipped" % i, bytes(flipped)


def test_corrupt_and_truncated_files_raise_brine_error(tmp):
    good = tmp / "good.brinemap"
    build(good, [("a", np.arange(4, dtype="int16")), (b"b", "text"), (3, [1.5, {"x": None}])])
    data = good.read_bytes()
    bad = tmp / "bad.brinemap"
    write_new(bad, data[:-1])
    with pytest.raises(brine.Error, match="bad.brinemap"):
        brine.frozen_map(bad)
    with pytest.raises(brine.TruncatedError):
        brine.frozen_map(bad)
    brine.dump({"a": 1}, bad)
    with pytest.raises(brine.Error, match="not a frozen map"):
        brine.frozen_map(bad)
    # Whatever is damaged, opening, verifying, looking up and iterating give
    # a value or brine.Error: never a crash, never another exception.
    undetected = []
    for what, copy in corrupt_copies(data):
        write_new(bad, copy)
        try:
            m = brine.frozen_map(bad)
        except brine.Error:
            continue
        try:
            m.verify()
            undetected.append(what)
        except brine.Error:
            pass
        for key in ("a", b"b", 3, "missing"):
            try:
                m.get(key)
                key in m
            except brine.Error:
                pass
        try:
            list(m.items())
        except brine.Error:
            pass
    # Bytes 10-11 are the minor version, which any 1.x reader accepts (docs/format.md).
    assert undetected == ["byte 10 flipped", "byte 11 flipped"]
    with pytest.raises(brine.IOError, match="absent.brinemap"):
        brine.frozen_map(tmp / "absent.brinemap")


def test_pickles_as_its_path(sample, tmp, monkeypatch):
    m, items = sample
    back = pickle.loads(pickle.dumps(m))
    assert isinstance(back, brine.frozen_map) and len(back) == len(m)
    same(back["s5"], m["s5"])
    monkeypatch.chdir(tmp.parent)  # the path is absolute
    assert len(pickle.loads(pickle.dumps(m))) == len(m)
    with pytest.raises(TypeError):
        pickle.dumps(brine.frozen_map_builder(tmp / "b.brinemap"))


def test_threads_look_up_at_once(tmp, in_threads):
    n = 2000
    path = tmp / "t.brinemap"
    build(path, [("k%d" % i, np.full(8, i, dtype="int64")) for i in range(n)] + [(i, "v%d" % i) for i in range(n)])
    m = brine.frozen_map(path)

    def work(seed):
        rng = np.random.default_rng(seed)
        for i in rng.integers(0, n, 3000).tolist():
            assert m["k%d" % i][3] == i and m[i] == "v%d" % i and ("k%d" % i) in m
        assert sum(1 for _ in m.items()) == 2 * n

    assert in_threads(work, 8) == []


def test_threads_add_to_one_builder(tmp, in_threads):
    path = tmp / "tb.brinemap"
    with brine.frozen_map_builder(path) as b:
        def work(t):
            for i in range(500):
                b.add("t%d-%d" % (t, i), np.full(20000 if i % 50 == 0 else 4, i, dtype="int32"))
        assert in_threads(work, 4) == []
    m = brine.frozen_map(path)
    assert len(m) == 2000 and m["t3-100"][0] == 100 and len(m["t2-50"]) == 20000
    m.verify()


# --- the shared-dictionary scenario, small scale ------------------------------------

KEYS = 200_000
DIM = 16
LOOKUPS = 20_000  # per worker
MiB = 1 << 20


@pytest.fixture(scope="module")
def shared_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("shared") / "shared.brinemap"
    shared.build_map(str(path), KEYS, DIM)
    m = brine.frozen_map(path)
    # "Private" in smaps is a page mapped by one process only, page cache or
    # not: a page that one worker alone happened to read would count as its
    # private memory. This process maps every page (verify reads them all),
    # so what a worker's private memory grows by is what it owns itself.
    m.verify()
    return m


def check_workers(reports, workers, file_size):
    assert len(reports) == workers
    assert len({r["pid"] for r in reports}) == workers
    for r in reports:
        assert r["lookups"] >= LOOKUPS and r["wrong"] == 0
        growth = shared.private_bytes(r["after"]) - shared.private_bytes(r["ready"])
        assert growth < 16 * MiB, "a worker's private memory grew by %.1f MiB" % (growth / MiB)
    # The workers' proportional shares of the file (and their own pages)
    # add up to at most one copy of the file plus a little per worker.
    pss_growth = sum(r["after"]["Pss"] - r["ready"]["Pss"] for r in reports)
    assert pss_growth < file_size + workers * 4 * MiB


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_shared_map_in_multiprocessing_workers(shared_map, method):
    # fork: the workers inherit the map object, mapping included; spawn: it
    # is pickled as its path and reopened in each worker.
    reports = shared.run_processes(method, shared_map, KEYS, 8, count=LOOKUPS)
    check_workers(reports, 8, shared_map.file_size)


def test_the_pickled_dict_baseline_is_private(shared_map, tmp_path):
    # The measurement can tell: workers that each load the seed's pickled
    # dict of the same data own a copy of it.
    path = str(tmp_path / "shared.pkl")
    shared.build_pickle(path, KEYS, DIM)
    reports = shared.run_processes("fork", path, KEYS, 2, count=1000)
    for r in reports:
        assert r["wrong"] == 0
        assert shared.private_bytes(r["after"]) - shared.private_bytes(r["start"]) > shared_map.file_size / 2


def test_shared_map_in_a_dask_cluster(shared_map):
    pytest.importorskip("distributed")
    cluster, client = shared.start_cluster(4)
    try:
        reports = shared.run_dask(client, shared_map, KEYS, count=LOOKUPS)
    finally:
        client.close()
        cluster.close()
    check_workers(reports, 4, shared_map.file_size)
