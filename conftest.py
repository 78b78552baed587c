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
