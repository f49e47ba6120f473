"""The brine CLI on Python objects (issue 12): a scikit-learn model and a
pandas DataFrame as object nodes in ls, cat (--json) and convert, both ways.
Fixtures are made at test time with Debian's python3 (sklearn, pandas)."""
import json
import os
import subprocess
import tempfile
import unittest

import joblib
import numpy as np

CLI = os.environ["BRINE_CLI"]


def ok(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError(f"brine {' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


class Objects(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from sklearn.linear_model import LogisticRegression
        cls.dir = tempfile.TemporaryDirectory()
        rng = np.random.default_rng(3)
        cls.X = rng.random((40, 3))
        y = (cls.X[:, 0] > 0.5).astype(int)
        cls.model = LogisticRegression().fit(cls.X, y)
        cls.path = os.path.join(cls.dir.name, "model.joblib")
        joblib.dump(cls.model, cls.path)

    def test_ls_names_the_class_and_its_attributes(self):
        out = ok("ls", self.path)
        self.assertIn("object sklearn.linear_model._logistic.LogisticRegression", out)
        self.assertIn("coef_: array float64 (1, 3)", out)

    def test_cat_reaches_into_the_state(self):
        coef = json.loads(ok("cat", self.path, "coef_", "--json"))
        np.testing.assert_array_equal(np.array(coef), self.model.coef_)

    def test_cat_json_marks_objects(self):
        doc = json.loads(ok("cat", self.path, "--json"))
        self.assertEqual(doc["__class__"], "sklearn.linear_model._logistic.LogisticRegression")
        self.assertEqual(doc["__build__"], "NEWOBJ")
        self.assertEqual(doc["state"]["penalty"], "l2")

    def test_convert_keeps_objects_both_ways(self):
        native = os.path.join(self.dir.name, "model.brine.zst")
        back = os.path.join(self.dir.name, "back.joblib.gz")
        ok("convert", self.path, native)
        coef = json.loads(ok("cat", native, "coef_", "--json"))
        np.testing.assert_array_equal(np.array(coef), self.model.coef_)
        self.assertIn("LogisticRegression", ok("ls", native))
        ok("convert", native, back)
        again = joblib.load(back)
        np.testing.assert_array_equal(again.predict_proba(self.X), self.model.predict_proba(self.X))


if __name__ == "__main__":
    unittest.main()
