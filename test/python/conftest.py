import os
import sys
import threading

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
