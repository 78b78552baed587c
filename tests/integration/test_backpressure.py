"""A model slower than an unthrottled source: the job runs at the model's pace with flat memory
(the long version, with a table, is e2e/reliability/backpressure.py)."""
import os
import sys

from paths import REPO

sys.path.insert(0, os.path.join(REPO, "e2e", "reliability"))

import backpressure  # noqa: E402


def test_a_slow_model_holds_memory_flat_under_an_unthrottled_source():
    samples = backpressure.run(seconds=12, batch_ms=5)
    assert samples[-1][1] > 1000, "the model made no progress"
    half = samples[len(samples) // 2:]
    worker_growth = max(s[2] for s in half) - half[0][2]
    jvm_growth = max(s[3] for s in half) - half[0][3]
    assert worker_growth < 20, f"the worker grew by {worker_growth:.1f} MB"
    assert jvm_growth < 200, f"the JVM grew by {jvm_growth:.1f} MB"
