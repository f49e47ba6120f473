"""The brine CLI, driven as a subprocess on every format it reads.

Fixtures are made at test time: joblib/numpy files by Debian's python3,
brine files by the CLI itself (convert) and by make_native (C++-only
content). BRINE_CLI and BRINE_MAKE_NATIVE come from test/cli/meson.build.
"""
import base64
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import joblib
import numpy as np

CLI = os.environ["BRINE_CLI"]
MAKE_NATIVE = os.environ["BRINE_MAKE_NATIVE"]
BRINE_CODECS = ["", ".z", ".gz", ".bz2", ".lzma", ".xz", ".lz4", ".zst"]
JOBLIB_CODECS = ["", ".z", ".gz", ".bz2", ".lzma", ".xz"]  # Debian's joblib lacks lz4


def tree():
    """A tree with every kind joblib and brine share."""
    return {
        "name": "hello",
        "w": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "layers": [{"b": np.ones(3)}, {"b": np.array([-1, 5], dtype=np.int16)}],
        "n": 3,
        "x": float("nan"),
        "inf": float("inf"),
        "big": 2**64 - 1,
        "neg": -(2**63),
        "by": b"\x00\x01abc",
        "m": {1: "a", 2: "b"},
        "c": 1 + 2j,
        "none": None,
        "flag": True,
        "uni": "caf\u00e9 \u2603 \"quoted\"\n",
    }


def run(*args, check_rc=None):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check_rc is not None and p.returncode != check_rc:
        raise AssertionError(f"brine {' '.join(args)}: exit {p.returncode}, wanted {check_rc}\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def ok(*args):
    return run(*args, check_rc=0).stdout


def json_of(*args):
    out = ok(*args)
    # Strictness as Python's parser sees it: no NaN/Infinity literals.
    def reject(token):
        raise ValueError("non-standard JSON token " + token)
    return json.loads(out, parse_constant=reject)


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="brine-cli-")
        d = cls.dir = cls.tmp.name
        cls.tree = tree()
        cls.joblib_files = []
        for ext in JOBLIB_CODECS:
            path = os.path.join(d, "tree.pkl" + ext)
            joblib.dump(cls.tree, path)
            cls.joblib_files.append(path)
        cls.npy = os.path.join(d, "w.npy")
        np.save(cls.npy, cls.tree["w"])
        cls.npz = os.path.join(d, "arrays.npz")
        np.savez(cls.npz, w=cls.tree["w"], f=cls.tree["f"])
        cls.npz_deflated = os.path.join(d, "arrays_deflated.npz")
        np.savez_compressed(cls.npz_deflated, w=cls.tree["w"], f=cls.tree["f"])
        cls.brine_files = []
        for ext in BRINE_CODECS:
            path = os.path.join(d, "tree.brine" + ext)
            ok("convert", cls.joblib_files[0], path)
            cls.brine_files.append(path)
        cls.native = os.path.join(d, "native.brine")
        subprocess.run([MAKE_NATIVE, cls.native], check=True)
        cls.tree_files = cls.brine_files + cls.joblib_files

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    # --- usage ------------------------------------------------------------------

    def test_usage_errors_exit_2_with_a_hint(self):
        for args in ([], ["frobnicate"], ["ls"], ["ls", "--bogus", self.npy], ["ls", self.npy, "a", "b"],
                     ["convert", self.npy], ["convert", self.npy, self.path("x.brine"), "--codec", "nope"],
                     ["convert", self.npy, self.path("x.brine"), "--level"],
                     ["convert", self.npy, self.path("x.brine.zst"), "--level", "99"],
                     ["convert", self.npy, self.path("x.brine"), "--level", "3"],
                     ["convert", self.npy, self.path("x.npy"), "--codec", "gzip"],
                     ["ls", self.npy, "--limit", "many"], ["cat", self.npy, "--json", "--all"],
                     ["verify", self.npy, "--threads", "-1"]):
            p = run(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertEqual(p.stdout, "", args)
            if args:
                self.assertIn("--help", p.stderr, args)
        self.assertFalse(os.path.exists(self.path("x.brine")))

    def test_help_texts(self):
        self.assertIn("usage: brine COMMAND", ok("--help"))
        self.assertIn("verify", ok("-h"))
        for cmd in ("ls", "cat", "convert", "verify"):
            self.assertIn("usage: brine " + cmd, ok(cmd, "--help"))
            self.assertIn("usage: brine " + cmd, ok("help", cmd))
        self.assertRegex(ok("--version"), r"^brine \d+\.\d+")

    # --- ls ---------------------------------------------------------------------

    def test_ls_header_and_tree_on_every_format(self):
        for path in self.tree_files:
            out = ok("ls", path)
            header, body = out.split("\n", 1)
            self.assertIn("brine v1.4" if ".brine" in path else "joblib", header)
            ext = os.path.splitext(path)[1]
            codec = {".z": "zlib", ".gz": "gzip", ".bz2": "bz2", ".lzma": "lzma", ".xz": "xz", ".lz4": "lz4",
                     ".zst": "zstd"}.get(ext, "none")
            self.assertIn("codec " + codec, header, path)
            self.assertIn("uncompressed", header)
            self.assertIn("root: dict of 15", body, path)
            self.assertIn("\n  w: array float32 (3, 4), 48 B\n", body, path)
            self.assertIn("\n  f: array float64 (2, 3) F-order, 48 B\n", body, path)
            self.assertIn("\n      b: array int16 (2,), 4 B\n", body, path)
            self.assertIn("\n  big: uint64 = 18446744073709551615", body, path)
        self.assertIn("npy, codec none", ok("ls", self.npy))
        self.assertIn("root: array float32 (3, 4), 48 B", ok("ls", self.npy))
        for npz in (self.npz, self.npz_deflated):
            out = ok("ls", npz)
            self.assertIn("npz, codec zip", out)
            self.assertIn("uncompressed 96 B", out)
            self.assertIn("  f: array float64 (2, 3) F-order, 48 B", out)

    def test_ls_path_selects_a_subtree(self):
        for path in self.tree_files:
            out = ok("ls", path, "layers/1")
            self.assertIn('root["layers"][1]: dict of 1', out, path)
            self.assertIn("  b: array int16 (2,), 4 B", out, path)
            self.assertIn('root["layers"][1]["b"]: array int16', ok("ls", path, "layers/-1/b"))
            self.assertIn('root["name"]: string', ok("ls", path, "/name"))

    def test_ls_bounds_large_containers(self):
        out = ok("ls", self.native, "many")
        self.assertIn("root[\"many\"]: dict of 1000", out)
        self.assertIn("  k19: int32 = 19", out)
        self.assertNotIn("k20", out)
        self.assertIn("... and 980 more", out)
        self.assertEqual(len(ok("ls", self.native, "many", "--all").splitlines()), 1 + 1 + 1000)
        self.assertIn("... and 295 more", ok("ls", self.native, "names", "--limit", "5"))
        depth0 = ok("ls", self.native, "--depth", "0").splitlines()
        self.assertEqual(len(depth0), 2)

    def test_ls_and_cat_of_a_scalar_root(self):
        pkl, brn = self.path("five.pkl"), self.path("five.brine")
        joblib.dump(5, pkl)
        ok("convert", pkl, brn)
        for path in (pkl, brn):
            self.assertIn("\nroot: int64 = 5, 8 B\n", ok("ls", path))
            self.assertEqual(ok("cat", path, "--json"), "5\n")

    def test_ls_does_not_read_array_data(self):
        # An uncompressed brine file whose array payload is corrupt still lists:
        # ls reads the table of contents and array metadata only.
        path = self.corrupt_copy(self.brine_files[0], "ls_corrupt.brine")
        self.assertIn("w: array float32 (3, 4)", ok("ls", path))
        self.assertEqual(run("verify", path).returncode, 1)

    # --- cat --------------------------------------------------------------------

    def check_tree_json(self, got, path):
        t = self.tree
        self.assertEqual(got["name"], "hello")
        self.assertEqual(got["w"], t["w"].tolist(), path)
        self.assertEqual(got["f"], [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], path)
        self.assertEqual(got["layers"], [{"b": [1.0, 1.0, 1.0]}, {"b": [-1, 5]}], path)
        self.assertEqual(got["n"], 3)
        self.assertEqual(got["x"], "nan")
        self.assertEqual(got["inf"], "inf")
        self.assertEqual(got["big"], 2**64 - 1)
        self.assertEqual(got["neg"], -(2**63))
        self.assertEqual(base64.b64decode(got["by"]), b"\x00\x01abc")
        self.assertEqual(got["m"], [[1, "a"], [2, "b"]])
        self.assertEqual(got["c"], [1.0, 2.0])
        self.assertIsNone(got["none"])
        self.assertIs(got["flag"], True)
        self.assertEqual(got["uni"], t["uni"])

    def test_cat_json_on_every_format(self):
        for path in self.tree_files:
            self.check_tree_json(json_of("cat", path, "--json"), path)
        self.assertEqual(json_of("cat", self.npy, "--json"), self.tree["w"].tolist())
        for npz in (self.npz, self.npz_deflated):
            got = json_of("cat", npz, "--json")
            self.assertEqual(got, {"w": self.tree["w"].tolist(), "f": self.tree["f"].tolist()})

    def test_cat_json_of_cpp_only_content(self):
        got = json_of("cat", self.native, "--json")
        self.assertEqual(got["text"], "caf\u00e9 \"q\" \\ \n\x01 \ufffd end")  # invalid byte -> U+FFFD
        raw = ok("cat", self.native, "text", "--json")
        self.assertEqual(raw, '"caf\u00e9 \\"q\\" \\\\ \\n\\u0001 \\ufffd end"\n')
        self.assertEqual(ok("cat", self.native, "f32", "--json"), "0.1\n")  # float32's own shortest form
        self.assertEqual((got["inf"], got["ninf"], got["nan"]), ("inf", "-inf", "nan"))
        self.assertEqual(got["imin"], -(2**63))
        self.assertEqual(got["umax"], 2**64 - 1)
        self.assertEqual(base64.b64decode(got["bytes"]), b"\xff\x00z")
        self.assertEqual(got["map"], [[1, "one"], [-2, "two"]])
        self.assertEqual(got["fortran"], [[1, 3, 5], [2, 4, 6]])
        self.assertEqual(got["zero_d"], 7)
        self.assertEqual(got["empty"], [])
        self.assertEqual(len(got["many"]), 1000)
        self.assertEqual(got["names"][299], "name 299")

    def test_cat_text_and_paths(self):
        for path in self.tree_files:
            out = ok("cat", path)
            self.assertIn("'name': 'hello'", out, path)
            self.assertEqual(ok("cat", path, "layers/1/b", "--json"), "[-1,5]\n", path)
            self.assertEqual(ok("cat", path, "m/1"), "'b'\n", path)  # maps: by position
        self.assertEqual(json_of("cat", self.npz, "f", "--json"), [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
        big = ok("cat", self.native, "many")
        self.assertIn("'k999': 999", big)

    def test_cat_missing_path_is_a_data_error(self):
        for path in (self.brine_files[0], self.brine_files[-1], self.joblib_files[0], self.npz):
            for sub, words in (("nope", "no key"), ("layers/9", "out of range"), ("name/x", "no \"x\" inside"),
                               ("layers/x", "not a position")):
                if path == self.npz and sub != "nope":
                    continue
                p = run("cat", path, sub)
                self.assertEqual(p.returncode, 1, (path, sub))
                self.assertIn(words, p.stderr, (path, sub))
                self.assertEqual(p.stderr.count("\n"), 1, p.stderr)

    # --- convert ----------------------------------------------------------------

    def test_convert_to_joblib_loads_in_python(self):
        for ext in (".pkl", ".pkl.gz", ".pkl.xz", ".pkl.bz2", ".pkl.z", ".pkl.lzma"):
            out = self.path("back" + ext)
            ok("convert", self.brine_files[-1], out)
            back = joblib.load(out)
            self.assertEqual(sorted(back), sorted(self.tree))
            np.testing.assert_array_equal(back["w"], self.tree["w"])
            self.assertTrue(back["f"].flags.f_contiguous)
            self.assertEqual(back["big"], 2**64 - 1)
            self.assertEqual(back["m"], {1: "a", 2: "b"})
            self.assertTrue(math.isnan(back["x"]))

    def test_convert_joblib_gz_to_uncompressed_brine(self):
        out = self.path("from_gz.brine")
        summary = ok("convert", self.joblib_files[2], out)
        self.assertIn("-> " + out + " (brine, none", summary)
        self.assertIn("codec none", ok("ls", out))
        self.check_tree_json(json_of("cat", out, "--json"), out)

    def test_convert_codec_option_overrides_the_extension(self):
        out = self.path("forced.brine")
        ok("convert", self.npy, out, "--codec", "xz", "--level", "1", "--threads", "2")
        self.assertIn("codec xz", ok("ls", out))
        self.assertEqual(json_of("cat", out, "--json"), self.tree["w"].tolist())
        out = self.path("forced.data")
        ok("convert", self.npy, out, "--format", "joblib")
        np.testing.assert_array_equal(joblib.load(out), self.tree["w"])

    def test_convert_numpy_files(self):
        npz = self.path("from_brine.npz")
        arrays_only = self.path("arrays.brine.zst")
        ok("convert", self.npz_deflated, arrays_only)
        ok("convert", arrays_only, npz)
        with np.load(npz) as z:
            np.testing.assert_array_equal(z["w"], self.tree["w"])
            np.testing.assert_array_equal(z["f"], self.tree["f"])
        deflated = self.path("deflated.npz")
        ok("convert", arrays_only, deflated, "--codec", "deflate", "--level", "9")
        with np.load(deflated) as z:
            np.testing.assert_array_equal(z["f"], self.tree["f"])
        one = self.path("one.npz")
        ok("convert", self.npy, one)
        with np.load(one) as z:
            np.testing.assert_array_equal(z["arr_0"], self.tree["w"])
        via_brine, npy = self.path("w.brine.lz4"), self.path("back.npy")
        ok("convert", self.npy, via_brine)
        ok("convert", via_brine, npy)
        np.testing.assert_array_equal(np.load(npy), self.tree["w"])

    def test_convert_refuses_what_the_target_cannot_hold(self):
        existing = self.path("keep.npz")
        with open(existing, "wb") as f:
            f.write(b"old")
        for out, words in ((existing, "dict of arrays or one array"), (self.path("x.npy"), "one array"),
                           (self.path("x.pkl.zst"), "joblib cannot read zstd")):
            p = run("convert", self.brine_files[0], out)
            self.assertEqual(p.returncode, 1, out)
            self.assertIn(words, p.stderr)
            self.assertIn(out, p.stderr)
            self.assertEqual(p.stderr.count("\n"), 1)
        with open(existing, "rb") as f:
            self.assertEqual(f.read(), b"old")  # atomic: untouched on failure
        self.assertFalse(os.path.exists(self.path("x.npy")))
        self.assertEqual([n for n in os.listdir(self.dir) if ".tmp" in n], [])

    def test_convert_progress_stays_off_when_stderr_is_not_a_terminal(self):
        p = run("convert", self.joblib_files[0], self.path("quiet.brine.gz"))
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        p = run("convert", self.joblib_files[0], self.path("quiet2.brine"), "--progress")  # too quick to draw
        self.assertEqual((p.returncode, p.stderr), (0, ""))

    # --- verify -----------------------------------------------------------------

    def corrupt_copy(self, src, name):
        with open(src, "rb") as f:
            data = bytearray(f.read())
        at = data.find(np.arange(12, dtype=np.float32).tobytes())  # w's payload
        self.assertGreater(at, 0)
        data[at + 5] ^= 0x40
        dst = self.path(name)
        with open(dst, "wb") as f:
            f.write(data)
        return dst

    def test_verify_good_files(self):
        for path in self.tree_files + [self.native]:
            out = ok("verify", path)
            self.assertIn(": OK (", out, path)
            self.assertIn("checksum" if ".brine" in path else "no checksums", out, path)
        self.assertIn("CRC-32", ok("verify", self.npz))
        self.assertIn("OK (npy", ok("verify", self.npy))

    def test_verify_reports_the_first_problem(self):
        bad = self.corrupt_copy(self.brine_files[0], "bad.brine")
        p = run("verify", bad)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr.count("\n"), 1)
        self.assertIn("offset", p.stderr)
        self.assertIn('root["w"]', p.stderr)
        self.assertIn("checksum", p.stderr)
        self.assertEqual(p.stdout, "")
        # Truncated compressed files, a corrupt npz member, not a data file at all, no file.
        with open(self.brine_files[-1], "rb") as f:
            data = f.read()
        truncated = self.path("truncated.brine.zst")
        with open(truncated, "wb") as f:
            f.write(data[: len(data) // 2])
        bad_npz = self.corrupt_copy(self.npz, "bad.npz")
        text = self.path("notes.txt")
        with open(text, "w") as f:
            f.write("hello\n")
        for path in (truncated, bad_npz, text, self.path("missing.brine")):
            for cmd in ("verify", "ls", "cat"):
                if cmd == "ls" and path == bad_npz:
                    continue  # ls maps the archive and prints no data: member CRCs stay unread
                p = run(cmd, path)
                self.assertEqual(p.returncode, 1, (cmd, path, p.stderr))
                self.assertEqual(p.stderr.count("\n"), 1, p.stderr)
                self.assertIn(path, p.stderr)

    # --- encryption (age) -------------------------------------------------------

    def test_keygen_writes_a_private_key_and_prints_its_recipient(self):
        key = self.path("keygen.txt")
        out = ok("keygen", "-o", key)
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        recipient = out.split()[-1]
        self.assertTrue(recipient.startswith("age1"))
        with open(key) as f:
            text = f.read()
        self.assertIn("# public key: " + recipient, text)
        self.assertIn("AGE-SECRET-KEY-1", text)
        run("keygen", "-o", key, check_rc=1)  # never overwrites a key

    def test_encrypted_convert_ls_cat_verify(self):
        key = self.path("enc-key.txt")
        recipient = ok("keygen", "-o", key).split()[-1]
        sealed = self.path("enc.brine.zst.age")
        ok("convert", self.joblib_files[0], sealed, "-r", recipient)
        self.assertIn("codec zstd", ok("ls", sealed, "-i", key))
        self.assertEqual(ok("cat", sealed, "name", "--identity", key).strip(), "'hello'")
        self.assertIn("OK", ok("verify", sealed, "-i", key))
        p = run("ls", sealed, check_rc=1)
        self.assertIn("no identity", p.stderr)
        # The age tool reads it: the inner file is a standard .brine.zst.
        if subprocess.run(["sh", "-c", "command -v age"], capture_output=True).returncode == 0:
            inner = self.path("enc-inner.brine.zst")
            subprocess.run(["age", "-d", "-i", key, "-o", inner, sealed], check=True)
            self.assertIn("codec zstd", ok("ls", inner))
        # A passphrase comes from a file, never from the command line.
        pw = self.path("pw.txt")
        with open(pw, "w") as f:
            f.write("a long passphrase\n")
        by_pass = self.path("enc.pkl.gz.age")
        ok("convert", sealed, by_pass, "-i", key, "--passphrase-file", pw)
        self.assertIn("joblib", ok("ls", by_pass, "--passphrase-file", pw))
        run("convert", sealed, self.path("x.age"), "-i", key, check_rc=2)  # no key for the output
        run("ls", by_pass, "--passphrase", "a long passphrase", check_rc=2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
