import os
import sys

import pytest

# The module under test is the build directory's (meson test sets PYTHONPATH);
# make sure an installed brine cannot shadow it.
build_python = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]
if build_python and build_python not in sys.path[:1]:
    sys.path.insert(0, build_python)


@pytest.fixture
def tmp(tmp_path):
    return tmp_path
