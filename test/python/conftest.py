import os
import subprocess
import sys
import threading

import numpy as np

import pytest

# The module under test is the build directory's (meson test sets PYTHONPATH);
# make sure an installed brine cannot shadow it.
build_python = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]
if build_python and build_python not in sys.path[:1]:
    sys.path.insert(0, build_python)


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


def _run_in_threads(work, count):
    """Runs work(i) for i in range(count), each in its own thread, at once;
    returns the exceptions they raised (an exception in a thread would
    otherwise be lost)."""
    errors = []

    def guarded(i):
        try:
            work(i)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def in_threads():
    return _run_in_threads


class Cli:
    """The brine command-line tool (BRINE_CLI, set by meson test)."""

    def __init__(self, path):
        self.path = path

    def __call__(self, *args):
        """Runs `brine ARGS...`; returns its standard output (text), raising on failure."""
        return subprocess.run([self.path, *map(str, args)], capture_output=True, text=True, check=True).stdout

    def npy_round_trip(self, a, tmp):
        """np.save(a), then `brine cat --json` of the .npy, `brine convert` to
        .brine and back to .npy, and `brine ls` of the .brine: returns
        (the JSON text, the array numpy reads back, the listing)."""
        np.save(tmp / "a.npy", a)
        json_text = self("cat", tmp / "a.npy", "--json").strip()
        self("convert", tmp / "a.npy", tmp / "a.brine")
        self("convert", tmp / "a.brine", tmp / "b.npy")
        return json_text, np.load(tmp / "b.npy"), self("ls", tmp / "a.brine")


@pytest.fixture
def cli():
    path = os.environ.get("BRINE_CLI")
    if not path:
        pytest.skip("BRINE_CLI is not set")
    return Cli(path)
