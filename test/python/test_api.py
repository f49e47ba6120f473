"""brine.open, verify, identify, errors and threads."""
import os
import threading

import numpy as np
import pytest

import brine


def layers():
    return {"layers": [{"w": np.full((3, 3), i, dtype="float32"), "name": "l%d" % i} for i in range(5)],
            "meta": ("run", 7)}


@pytest.mark.parametrize("ext", ["", ".zst", ".gz"])
def test_open_reads_one_entry(tmp, ext):
    path = tmp / ("x.brine" + ext)
    brine.dump(layers(), path)
    a = brine.open(path)
    w = a["layers"][3]["w"].load()
    assert w.dtype == np.float32 and (w == 3).all()
    assert a["layers"][3]["name"].load() == "l3"
    assert a["meta"].load() == ("run", 7)
    assert a.kind == "dict" and sorted(a.keys()) == ["layers", "meta"]
    assert len(a["layers"]) == 5
    assert a["layers"][3].path == 'root["layers"][3]'
    with pytest.raises(brine.Error):
        a["nope"]
    with pytest.raises((brine.Error, IndexError)):
        a["layers"][99]


def test_open_mmap_views(tmp):
    path = tmp / "x.brine"
    brine.dump(layers(), path)
    w = brine.open(path, mmap_mode="r")["layers"][2]["w"].load()
    assert not w.flags.writeable and (w == 2).all()


def test_error_is_a_value_error_with_the_cpp_message(tmp):
    assert issubclass(brine.Error, ValueError)
    for cls in (brine.IOError, brine.FormatError, brine.TruncatedError, brine.CorruptError,
                brine.LimitError, brine.TypeError, brine.UnsupportedError):
        assert issubclass(cls, brine.Error)
    with pytest.raises(brine.IOError, match="missing.brine"):
        brine.load(tmp / "missing.brine")
    (tmp / "text.brine").write_text("hello, not brine at all" * 10)
    with pytest.raises(brine.Error, match="not a brine file"):
        brine.load(tmp / "text.brine")


def test_truncated_and_corrupt_files_raise_never_crash(tmp):
    path = tmp / "x.brine"
    brine.dump(layers(), path)
    data = path.read_bytes()
    bad = tmp / "bad.brine"
    for n in list(range(0, 200, 7)) + list(range(200, len(data), max(1, len(data) // 60))):
        bad.write_bytes(data[:n])
        with pytest.raises(brine.Error):
            brine.load(bad)
        for mode in (None, "r"):
            with pytest.raises(brine.Error):
                brine.load(bad, mmap_mode=mode)
    rng = np.random.default_rng(1)
    for i in range(150):
        b = bytearray(data)
        pos = int(rng.integers(0, len(b)))
        b[pos] ^= 1 << int(rng.integers(0, 8))
        bad.write_bytes(bytes(b))
        try:
            brine.load(bad)  # a flipped padding bit changes nothing
        except brine.Error:
            pass
        report = brine.verify(bad, raise_errors=False)
        assert isinstance(report.ok, bool)


def test_verify_and_identify(tmp):
    path = tmp / "x.brine.zst"
    brine.dump(layers(), path)
    r = brine.verify(path)
    assert r and r.ok and r.arrays == 5
    ident = brine.identify(path)
    assert (ident.format, ident.codec, ident.version) == ("brine", "zstd", (1, 4))
    raw = tmp / "y.brine"
    brine.dump(layers(), raw)
    data = bytearray(raw.read_bytes())
    data[-100] ^= 0xFF
    raw.write_bytes(bytes(data))
    with pytest.raises(brine.Error) as e:
        brine.verify(raw)
    report = brine.verify(raw, raise_errors=False)
    assert not report and str(e.value) == report.message


def test_threads_in_parallel(tmp, in_threads):
    """Many threads dumping, loading and opening at once; the GIL is
    released during the C++ work, so this also runs faster than serially."""
    data = {"w": np.random.default_rng(0).random((200, 200)), "l": list(range(1000))}
    shared = tmp / "shared.brine"
    brine.dump(data, shared)
    archive = brine.open(shared)

    def work(i):
        for j in range(10):
            p = tmp / ("t%d.brine.zst" % i)
            brine.dump(data, p, threads=1)
            back = brine.load(p)
            assert np.array_equal(back["w"], data["w"]) and back["l"] == data["l"]
            assert np.array_equal(archive["w"].load(), data["w"])
            m = brine.load(shared, mmap_mode="r")
            assert m["l"][-1] == 999

    errors = in_threads(work, 8)
    assert not errors, errors


def test_gil_is_released_during_io(tmp):
    """A pure-Python counter keeps running while a large compressed dump runs."""
    import time
    big = {"w": np.random.default_rng(0).random(2_000_000)}
    ticks = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.0005)

    t = threading.Thread(target=count)
    t.start()
    # Dumps until 0.2 s were spent inside them, so a fast machine still gives
    # the counter time to run (one dump can take under 50 ms).
    t0 = time.perf_counter()
    dumps = 0
    while time.perf_counter() - t0 < 0.2:
        brine.dump(big, tmp / "big.brine.gz", threads=1)
        dumps += 1
    stop.set()
    t.join()
    # With the GIL held for every dump the counter could advance only
    # between them: about once per dump.
    assert ticks[0] > 5 + 3 * dumps, (ticks[0], dumps)
