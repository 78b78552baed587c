"""The package's doctests quote paths from the repository root (``e2e/demo/model``), as a reader
at the root types them: run them from there, wherever pytest was started."""
import os

import pytest
from _pytest.doctest import DoctestItem

REPO = os.path.dirname(os.path.abspath(__file__))


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
