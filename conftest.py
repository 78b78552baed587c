"""The package's doctests quote paths from the repository root (``e2e/demo/model``), as a reader
at the root types them: run them from there, wherever pytest was started."""
import os
import sys

import pytest
from _pytest.doctest import DoctestItem

REPO = os.path.dirname(os.path.abspath(__file__))

if os.environ.get("PYFLINK_ML_PREDICT_TEST_INSTALLED") == "1":
    # CI tests the installed wheel, not this checkout: the package is imported here, first,
    # with the checkout off sys.path, so every later import (its submodules, the doctests,
    # with PY_IGNORE_IMPORTMISMATCH=1) gets the installed copy.
    _saved_path = list(sys.path)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != REPO]
    import pyflink_ml_predict

    sys.path[:] = _saved_path
    if os.path.dirname(os.path.abspath(pyflink_ml_predict.__file__)) == os.path.join(
            REPO, "pyflink_ml_predict"):
        raise RuntimeError("PYFLINK_ML_PREDICT_TEST_INSTALLED=1, but pyflink_ml_predict is"
                           " not installed outside the checkout")
    os.environ.setdefault("PY_IGNORE_IMPORTMISMATCH", "1")


@pytest.fixture(autouse=True)
def _doctests_run_from_the_repository_root(request, monkeypatch):
    if isinstance(request.node, DoctestItem):
        monkeypatch.chdir(REPO)


def pytest_report_header(config):
    """Which copy of the package and which Flink the run tests (CI tests the installed wheel)."""
    import pyflink_ml_predict

    try:
        from pyflink.version import __version__ as flink
    except ImportError:
        flink = "none"
    return f"pyflink_ml_predict from {os.path.dirname(pyflink_ml_predict.__file__)}, Flink {flink}"
