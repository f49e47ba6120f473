"""brine.dump / brine.load keep every type and value exactly."""
import math

import numpy as np
import pytest

import brine

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
CODECS = ["", ".gz", ".zst", ".lz4", ".xz", ".bz2", ".z", ".lzma"]


def same(a, b):
    """Equal values of exactly the same types, recursively (NaN equals NaN)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(a, dict):
        assert list(a.keys()) == list(b.keys())
        for k in a:
            same(a[k], b[k])
    elif isinstance(a, (float, complex)):
        assert repr(a) == repr(b)  # NaN equals NaN; -0.0 differs from 0.0
    else:
        assert a == b


def round_trip(obj, path, **load_args):
    brine.dump(obj, path)
    back = brine.load(path, **load_args)
    same(obj, back)
    return back


def sample():
    return {
        "none": None, "t": True, "f": False,
        "ints": [0, -1, 2**63 - 1, -2**63, 2**64 - 1, 2**63],
        "floats": [0.0, -0.0, 1.5, float("inf"), float("-inf"), float("nan"), 1e-308],
        "complex": [1 + 2j, complex(float("nan"), -0.0)],
        "str": ["", "résumé", "日本", "\x00nul", "x" * 10000],
        "bytes": [b"", b"\x00\xff" * 3000],
        "list": [1, [2, [3, []]], ()],
        "tuple": (1, "a", (2.5, None), [()]),
        "nested": {"a": {"b": {"c": [1, (2, 3)]}}},
        "int_keys": {1: "one", -5: "minus five", 2**64 - 1: "max"},
        "mixed_keys": {1: "a", "b": 2, (1, "x"): 3, None: 4, 2.5: 5, b"k": 6},
        "empty": {},
        "arrays": [np.arange(12, dtype=dt).reshape(3, 4) for dt in ("int32", "float64")],
        "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "strided": np.arange(20)[::3],
        "big_endian": np.arange(5, dtype=">f8"),
        "empty_array": np.zeros((0, 3), dtype="float32"),
    }


@pytest.mark.parametrize("ext", CODECS)
def test_sample_round_trips_with_every_codec(tmp, ext):
    obj = sample()
    brine.dump(obj, tmp / ("x.brine" + ext))
    back = brine.load(tmp / ("x.brine" + ext))
    # Views and other strides are stored contiguous: equal values, same types.
    same(obj, back)
    assert back["fortran"].flags.f_contiguous


@pytest.mark.parametrize("dt", DTYPES)
def test_arrays_and_scalars_of_every_dtype(tmp, dt):
    t = np.dtype(dt)
    a = (np.arange(24) % 7).astype(t).reshape(2, 3, 4)
    s = t.type(3)
    obj = {"a": a, "s": s, "scalars": [t.type(0), t.type(1)], "other_order": a.astype(t.newbyteorder())}
    back = round_trip(obj, tmp / "d.brine")
    assert type(back["s"]) is type(s)


def test_python_scalars_stay_python_scalars(tmp):
    obj = [True, 7, 2.5, 1j, "s", b"b", None, np.float64(2.5), np.int64(7), np.bool_(True), np.complex128(1j)]
    back = round_trip(obj, tmp / "s.brine")
    assert [type(x) for x in back] == [type(x) for x in obj]


def test_tuple_is_a_tuple_and_a_list_to_cpp_readers(tmp):
    path = tmp / "t.brine"
    brine.dump((1, (2, 3), [4]), path)
    assert brine.load(path) == (1, (2, 3), [4])
    assert brine.identify(path).version == (1, 4)
    assert brine.open(path).kind == "list"  # C++ sees a list
    assert brine.open(path)[1].load() == (2, 3)


def test_unsupported_types_raise_brine_error_naming_where(tmp):
    path = tmp / "u.brine"
    with pytest.raises(brine.Error, match=r"root\['a'\]\[1\]: a Python set"):
        brine.dump({"a": [1, {2}]}, path)
    with pytest.raises(brine.Error, match="does not fit in 64 bits"):
        brine.dump([2**64], path)
    with pytest.raises(brine.Error, match=r"numpy dtype '\|V8'"):  # a record with an object field
        brine.dump(np.zeros(2, dtype=[("a", "O")]), path)
    with pytest.raises(brine.Error, match="lone surrogate"):
        brine.dump("\udc80", path)
    assert not path.exists()  # nothing half-written


def test_a_container_holding_itself_is_an_error_not_a_crash(tmp):
    a = []
    a.append(a)
    with pytest.raises(brine.Error, match="nesting deeper"):
        brine.dump(a, tmp / "cycle.brine")


def test_dump_options(tmp):
    obj = {"w": np.ones((100, 100))}
    brine.dump(obj, tmp / "a.brine.zst", level=19, threads=2, durable=False)
    brine.dump(obj, tmp / "b.brine.gz", level=1, threads=1)
    for name in ("a.brine.zst", "b.brine.gz"):
        same(obj, brine.load(tmp / name))
    assert brine.identify(tmp / "a.brine.zst").codec == "zstd"
    assert brine.identify(str(tmp / "b.brine.gz"))["codec"] == "gzip"


def test_cpp_written_files_load_as_python_values(tmp):
    """A file written through brine's C++ API (the CLI converts joblib ->
    brine), loaded as Python objects: maps, scalars of any width."""
    path = tmp / "m.brine"
    brine.dump({"x": np.float32(1.5), 3: [1, 2]}, path)
    back = brine.load(path)
    assert back == {"x": np.float32(1.5), 3: [1, 2]}
