"""Structured numpy dtypes (format 1.4's record dtype): named fields, offsets
and padding, nested records, sub-array fields, big-endian fields, plain void,
through brine files, joblib files, .npy files, frozen maps and the CLI,
against numpy and Python's joblib."""
import json
import subprocess

import numpy as np
import pytest

import brine

joblib = pytest.importorskip("joblib")

POINT = np.dtype([("x", "<f8"), ("y", "<i4")])


def sample():
    packed = np.array([(1.5, 2), (-3.0, 4), (np.nan, -5)], dtype=POINT)
    aligned = np.zeros(4, dtype=np.dtype([("a", "u1"), ("b", "<f8")], align=True))  # 7 bytes of padding
    aligned["a"] = [1, 2, 3, 4]
    aligned["b"] = [0.5, 1.5, 2.5, 3.5]
    nested = np.zeros((2, 3), dtype=[("id", "<u2"), ("pos", POINT), ("tags", "S3", (2,)),
                                      ("m", ">f4", (2, 2)), ("when", "<M8[ms]"), ("name", "<U4")])
    nested["id"] = np.arange(6).reshape(2, 3)
    nested["pos"]["x"] = np.linspace(0, 1, 6).reshape(2, 3)
    nested["pos"]["y"] = -np.arange(6).reshape(2, 3)
    nested["tags"] = [[[b"a", b"bc"]] * 3] * 2
    nested["m"] = np.arange(24).reshape(2, 3, 2, 2)
    nested["when"] = np.array(["2026-11-30T12:00:00.125"] * 6, dtype="M8[ms]").reshape(2, 3)
    nested["name"] = [["x", "y\u00e9", "z"], ["", "w", "\u2713"]]
    # Fields out of offset order, with a gap, as numpy's dict form allows.
    unordered = np.zeros(3, dtype=np.dtype({"names": ["hi", "lo"], "formats": [">i4", "<i2"],
                                            "offsets": [4, 0], "itemsize": 12}))
    unordered["hi"] = [1, -2, 3]
    unordered["lo"] = [7, 8, 9]
    return {
        "packed": packed,
        "aligned": aligned,
        "nested": nested,
        "fortran": np.asfortranarray(nested),
        "unordered": unordered,
        "big": packed.astype([("x", ">f8"), ("y", ">i4")]),
        "void": np.array([b"\x01\x02\x03", b"abc"], dtype="V3"),
        "empty": np.zeros((0, 2), dtype=POINT),
    }


def native(t):
    """The dtype joblib hands back: every field in native byte order."""
    if t.names is None:
        return t.newbyteorder("=") if t.subdtype is None else np.dtype((native(t.subdtype[0]), t.subdtype[1]))
    return np.dtype({"names": list(t.names), "formats": [native(t.fields[n][0]) for n in t.names],
                     "offsets": [t.fields[n][1] for n in t.names], "itemsize": t.itemsize})


def assert_same(back, want, keeps_byte_order=True):
    assert back.keys() == want.keys()
    for key, w in want.items():
        b = back[key]
        assert isinstance(b, np.ndarray), key
        assert b.dtype == (w.dtype if keeps_byte_order else native(w.dtype)), (key, b.dtype, w.dtype)
        assert b.shape == w.shape, key
        # Same bytes, field by field (padding excepted): NaN equals NaN.
        for name in w.dtype.names or ():
            assert np.array_equal(b[name], w[name], equal_nan=w[name].dtype.kind == "f"), (key, name)
        if w.dtype.names is None:
            assert b.tobytes() == w.tobytes(), key


@pytest.mark.parametrize("name", ["r.brine", "r.brine.zst", "r.brine.gz"])
def test_brine_files_keep_the_layout(tmp, name):
    want = sample()
    brine.dump(want, tmp / name)
    assert_same(brine.load(tmp / name), want)


def test_mapped_record_arrays_are_views_of_the_file(tmp):
    want = sample()
    brine.dump(want, tmp / "r.brine")
    back = brine.load(tmp / "r.brine", mmap_mode="r")
    assert_same(back, want)
    assert not back["nested"].flags.writeable
    assert back["nested"]["pos"]["x"][1, 2] == 1.0


def test_one_record_is_a_numpy_void(tmp):
    want = np.array((2.5, 7), dtype=POINT)[()]
    brine.dump({"r": want}, tmp / "r.brine")
    back = brine.load(tmp / "r.brine")["r"]
    assert isinstance(back, np.void) and back.dtype == POINT
    assert back["x"] == 2.5 and back["y"] == 7


def test_joblib_files_both_ways(tmp):
    want = sample()
    joblib.dump(want, tmp / "r.pkl")
    # joblib, and brine like it, hands back arrays read into memory in native order.
    assert_same(brine.joblib_load(tmp / "r.pkl"), want, keeps_byte_order=False)
    for name in ("back.pkl", "back.pkl.gz", "back.pkl.xz"):
        brine.joblib_dump(brine.joblib_load(tmp / "r.pkl"), tmp / name)
        assert_same(joblib.load(tmp / name), want, keeps_byte_order=False)
    # numpy.void scalars pickled inside plain Python objects.
    joblib.dump({"one": want["packed"][1]}, tmp / "void.pkl")
    one = brine.joblib_load(tmp / "void.pkl")["one"]
    assert one.dtype == POINT and one["x"] == -3.0 and one["y"] == 4


def test_a_record_with_an_object_field_stays_an_object_node(tmp):
    a = np.array([(1, "x"), (2, None)], dtype=[("n", "<i4"), ("o", "O")])
    joblib.dump({"a": a}, tmp / "o.pkl")
    brine.joblib_dump(brine.joblib_load(tmp / "o.pkl"), tmp / "o2.pkl")
    back = joblib.load(tmp / "o2.pkl")["a"]
    assert back.dtype == a.dtype and back.tolist() == a.tolist()


def test_frozen_map_values(tmp):
    want = sample()
    with brine.frozen_map_builder(tmp / "m.brinemap") as b:
        b.update(want)
    m = brine.frozen_map(tmp / "m.brinemap")
    assert_same({k: m[k] for k in want}, want)


@pytest.mark.parametrize("key", ["packed", "aligned", "nested", "big", "void"])  # numpy cannot np.save "unordered"
def test_npy_both_ways(tmp, cli, key):
    a = sample()[key]
    json_text, b, ls = cli.npy_round_trip(a, tmp)
    assert b.dtype == a.dtype
    assert_same({key: b}, {key: a})
    assert "record[" in ls


def test_npy_of_overlapping_fields_is_refused_clearly(tmp, cli):
    a = np.zeros(2, dtype=np.dtype({"names": ["a", "b"], "formats": ["<i4", "<i2"], "offsets": [0, 2], "itemsize": 4}))
    brine.dump(a, tmp / "o.brine")
    assert_same({"a": brine.load(tmp / "o.brine")}, {"a": a})
    run = subprocess.run([cli.path, "convert", tmp / "o.brine", tmp / "o.npy"], capture_output=True, text=True)
    assert run.returncode != 0 and "overlap" in run.stderr, run.stderr


def test_cli_prints_records_and_writes_json_objects(tmp, cli):
    a = np.array([(1.5, 2), (-3.0, 4)], dtype=POINT)
    np.save(tmp / "p.npy", a)
    assert json.loads(cli("cat", tmp / "p.npy", "--json")) == [{"x": 1.5, "y": 2}, {"x": -3.0, "y": 4}]
    assert "(1.5, 2)" in cli("cat", tmp / "p.npy")
    nested = sample()["nested"][:1, :1]
    np.save(tmp / "n.npy", nested)
    got = json.loads(cli("cat", tmp / "n.npy", "--json"))
    assert got[0][0]["pos"] == {"x": 0.0, "y": 0}
    assert got[0][0]["m"] == [[0.0, 1.0], [2.0, 3.0]]
    assert got[0][0]["name"] == "x"


def test_a_scikit_learn_tree_keeps_its_nodes_as_a_record_array(tmp, cli):
    tree = pytest.importorskip("sklearn.tree")
    X = np.random.RandomState(0).rand(60, 3)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    model = tree.DecisionTreeClassifier(max_depth=3).fit(X, y)
    joblib.dump(model, tmp / "tree.joblib")
    want = model.tree_.__getstate__()["nodes"]
    nodes = brine.joblib_load(tmp / "tree.joblib").state["tree_"].state["nodes"]
    assert nodes.dtype == want.dtype and np.array_equal(nodes, want)
    got = json.loads(cli("cat", tmp / "tree.joblib", "tree_/nodes", "--json"))
    assert [n["left_child"] for n in got] == want["left_child"].tolist()
    assert "record[" in cli("ls", tmp / "tree.joblib")
    cli("convert", tmp / "tree.joblib", tmp / "tree.brine")
    cli("convert", tmp / "tree.brine", tmp / "back.joblib")
    assert (joblib.load(tmp / "back.joblib").predict(X) == model.predict(X)).all()


class _ForgedDtype:
    """Pickles as numpy.dtype('V4') with any state: what a hostile file can hold."""

    def __init__(self, state):
        self.state = state

    def __reduce__(self):
        return (np.dtype, ("V4", False, True), self.state)


@pytest.mark.parametrize("fields,message", [
    ({"a": (np.dtype("<i4"), 2)}, "ends past the record's 4 bytes"),
    ({}, "field 'a' needs a \\(dtype, offset\\[, title\\]\\) entry"),
    ({"a": ("<i4", 0)}, "expected a numpy.dtype"),
])
def test_a_forged_structured_dtype_is_a_clear_error(tmp, fields, message):
    import pickle
    forged = _ForgedDtype((3, "|", None, ("a",), fields, 4, 1, 16))
    (tmp / "forged.pkl").write_bytes(pickle.dumps({"d": forged}, protocol=2))
    with pytest.raises(brine.Error, match=message):
        brine.joblib_load(tmp / "forged.pkl")


def test_npz_both_ways(tmp, cli):
    want = {k: v for k, v in sample().items() if k != "unordered"}  # numpy cannot np.save that one
    np.savez(tmp / "r.npz", **want)
    cli("convert", tmp / "r.npz", tmp / "r.brine")
    assert_same(brine.load(tmp / "r.brine"), want)
    cli("convert", tmp / "r.brine", tmp / "back.npz")
    with np.load(tmp / "back.npz") as back:
        assert_same({k: back[k] for k in back.files}, want)
