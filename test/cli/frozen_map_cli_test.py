"""brine ls / cat / verify / convert on frozen map files (.brinemap), run as a
subprocess. BRINE_CLI comes from test/cli/meson.build."""

import json
import os
import subprocess
import tempfile
import unittest

import joblib
import numpy as np

CLI = os.environ["BRINE_CLI"]


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def ok(*args):
    p = run(*args)
    if p.returncode != 0:
        raise AssertionError(f"brine {' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


class FrozenMapCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="brine-cli-map-")
        d = cls.dir = cls.tmp.name
        cls.data = {f"user-{i:06d}": i * 3 for i in range(2000)}
        cls.data["some key"] = np.arange(6, dtype=np.float32).reshape(2, 3)
        cls.data["text"] = "caf\u00e9"
        cls.pkl = os.path.join(d, "dict.pkl")
        joblib.dump(cls.data, cls.pkl)
        cls.brine = os.path.join(d, "dict.brine.zst")
        ok("convert", cls.pkl, cls.brine)

    def built(self, source, name):
        out = os.path.join(self.dir, name)
        ok("convert", source, out, "--memory-limit-mb", "1")
        return out

    def test_from_pickle_and_from_brine(self):
        for source, name in [(self.pkl, "a.brinemap"), (self.brine, "b.brinemap")]:
            m = self.built(source, name)
            self.assertEqual(json.loads(ok("cat", m, "some key", "--json")), [[0, 1, 2], [3, 4, 5]])
            self.assertEqual(json.loads(ok("cat", m, "user-001999", "--json")), 5997)
            self.assertEqual(json.loads(ok("cat", m, "text", "--json")), "caf\u00e9")
            self.assertIn("2002 entries", ok("verify", m))
            listing = ok("ls", m)
            self.assertIn('"user-000000"  scalar', listing)
            self.assertIn('"some key"  array', listing)

    def test_missing_key_and_corrupt_file(self):
        m = self.built(self.pkl, "c.brinemap")
        p = run("cat", m, "absent")
        self.assertEqual(p.returncode, 1)
        self.assertIn('"absent"', p.stderr)
        with open(m, "r+b") as f:
            f.seek(100)
            b = f.read(1)
            f.seek(100)
            f.write(bytes([b[0] ^ 1]))
        p = run("verify", m)
        self.assertEqual(p.returncode, 1)
        self.assertIn(m, p.stderr)

    def test_root_must_be_a_dict(self):
        lst = os.path.join(self.dir, "list.pkl")
        joblib.dump([1, 2], lst)
        out = os.path.join(self.dir, "list.brinemap")
        p = run("convert", lst, out)
        self.assertEqual(p.returncode, 1)
        self.assertIn("dict", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
