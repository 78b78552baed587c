"""Shared by both tiers (tests/unit: no JVM; tests/integration: real Flink): the environment
reset, and the table environments the integration tests take as fixtures. This folder is on
``sys.path`` (pytest puts a conftest's folder there), so tests import ``paths``,
``flink_jobs`` and ``flink_cluster`` from it."""
import os

import pytest


@pytest.fixture(autouse=True)
def restore_environment():
    """PyFlink's process mode runs its Python worker in loopback inside this process and leaves
    variables such as PYFLINK_GATEWAY_DISABLED in os.environ, where later subprocesses (the
    CLI, the demo) would inherit them."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def batch_env():
    from flink_jobs import new_table_env

    return new_table_env(streaming=False)


@pytest.fixture
def stream_env():
    from flink_jobs import new_table_env

    return new_table_env(streaming=True)
