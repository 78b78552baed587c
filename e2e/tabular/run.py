"""A scikit-learn model in ML_PREDICT: breast cancer diagnosis from 30 tumour measurements.

    pip install scikit-learn 'joblib<1.6'
    python e2e/tabular/run.py

Trains the pipeline and writes its model directory (``train.py``, about a second), writes the
held-out tumours (25%, never trained on) to ``out/tumours.jsonl``, runs ``tabular.sql``
(CREATE TABLE, CREATE MODEL with the 30 feature columns as INPUT and ``OUTPUT (label INT,
probability DOUBLE)``, ML_PREDICT, then the evaluation: ``ML_EVALUATE_METRICS`` over the same
ML_PREDICT) on embedded local Flink, and prints the accuracy, whether Flink's predictions equal
scikit-learn's own, the evaluation's metrics beside scikit-learn's, and the timings. Everything
is offline.

Exits non-zero if the held-out accuracy is below 0.95, any row is missing, a label differs
from the pipeline's own prediction, or a metric of the evaluation differs from scikit-learn's
by more than 1e-9.
"""
import json
import os
import string
import sys
import time
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import train  # noqa: E402

MIN_ACCURACY = 0.95
METRICS_TOLERANCE = 1e-9


def write_tumours(frame, truth, path: str) -> None:
    """One JSON object per tumour: id, truth and the 30 features by column name."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for id_, (features, label) in enumerate(zip(frame.to_dict("records"), truth), 1):
            f.write(json.dumps({"id": id_, "truth": int(label), **features}) + "\n")


def sql_statements(**values: str) -> List[str]:
    """``tabular.sql`` with its ``${...}`` filled in, split into statements."""
    from pyflink_ml_predict.adapters.sql_script import split_statements

    with open(os.path.join(HERE, "tabular.sql"), encoding="utf-8") as f:
        return split_statements(string.Template(f.read()).substitute(values))


def run() -> dict:
    """Trains, runs the job; returns its metrics."""
    import joblib
    from pyflink.table import EnvironmentSettings, TableEnvironment

    started = time.monotonic()
    model_dir, sklearn_accuracy = train.train()
    trained = time.monotonic()
    _, x_test, _, y_test = train.dataset()
    data = os.path.join(HERE, "out", "tumours.jsonl")
    write_tumours(x_test, y_test, data)

    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.get_config().set("python.executable", sys.executable)
    *setup, query, register, evaluation = sql_statements(tumours=data, model_dir=model_dir)
    for statement in setup:
        t_env.execute_sql(statement)
    print(query)
    query_started = time.monotonic()
    with t_env.execute_sql(query).collect() as results:
        rows = sorted(tuple(r) for r in results)
    query_seconds = time.monotonic() - query_started
    t_env.execute_sql(register)
    print(evaluation)
    evaluation_started = time.monotonic()
    with t_env.execute_sql(evaluation).collect() as results:
        [(evaluated,)] = [tuple(r) for r in results]
    evaluation_seconds = time.monotonic() - evaluation_started

    # The pipeline called directly on the same rows: Flink must not change a single answer.
    direct = joblib.load(os.path.join(model_dir, "pipeline.joblib")).predict(x_test)
    for id_, truth, label, probability in rows[:10]:
        print(f"{id_:>4}  truth {truth}  label {label}  p {probability:.3f}"
              f"  {'ok ' if label == truth else 'BAD'}")
    expected = sklearn_metrics(y_test, direct)
    return {
        "evaluation": dict(evaluated),
        "sklearn_metrics": expected,
        "evaluation_matches_sklearn": all(
            abs(evaluated.get(name, float("nan")) - value) <= METRICS_TOLERANCE
            for name, value in expected.items()),
        "evaluation_seconds": evaluation_seconds,
        "rows": len(rows),
        "missing": len(y_test) - len(rows),
        "accuracy": sum(label == truth for _, truth, label, _ in rows) / len(y_test),
        "sklearn_accuracy": sklearn_accuracy,
        "same_as_sklearn": [label for _, _, label, _ in rows] == [int(d) for d in direct],
        "train_seconds": trained - started,
        "query_seconds": query_seconds,
        "total_seconds": time.monotonic() - started,
    }


def sklearn_metrics(truth, predicted) -> dict:
    """What ML_EVALUATE_METRICS('classification', ...) must give: scikit-learn's own."""
    from sklearn import metrics

    return {"accuracy": metrics.accuracy_score(truth, predicted),
            **{name: score(truth, predicted, average="macro", zero_division=0)
               for name, score in [("precision", metrics.precision_score),
                                   ("recall", metrics.recall_score),
                                   ("f1", metrics.f1_score)]}}


def failures(metrics: dict) -> List[str]:
    """What misses the example's bar, in words (empty when it passes)."""
    missed = []
    if metrics["missing"]:
        missed.append(f"{metrics['missing']} rows missing from the result")
    if metrics["accuracy"] < MIN_ACCURACY:
        missed.append(f"accuracy {metrics['accuracy']:.4f} < {MIN_ACCURACY}")
    if not metrics["same_as_sklearn"]:
        missed.append("Flink's labels differ from the pipeline's own predictions")
    if not metrics["evaluation_matches_sklearn"]:
        missed.append(f"ML_EVALUATE_METRICS gave {metrics['evaluation']}, scikit-learn"
                      f" {metrics['sklearn_metrics']}")
    return missed


def main() -> int:
    metrics = run()
    print(f"\n{metrics['rows']} held-out tumours, accuracy {metrics['accuracy']:.4f}"
          f" (at least {MIN_ACCURACY}); scikit-learn alone {metrics['sklearn_accuracy']:.4f},"
          f" same predictions: {metrics['same_as_sklearn']}")
    evaluated = metrics["evaluation"]
    print("evaluation (ML_EVALUATE_METRICS): " + ", ".join(
        f"{name} {evaluated.get(name, float('nan')):.4f}" for name in metrics["sklearn_metrics"])
        + f" over {evaluated.get('count', 0):.0f} rows; equal to scikit-learn's to"
        f" {METRICS_TOLERANCE:g}: {metrics['evaluation_matches_sklearn']}")
    print(f"trained in {metrics['train_seconds']:.1f} s, ML_PREDICT query"
          f" {metrics['query_seconds']:.1f} s, evaluation {metrics['evaluation_seconds']:.1f} s,"
          f" total {metrics['total_seconds']:.1f} s")
    missed = failures(metrics)
    for reason in missed:
        print(f"FAILED: {reason}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
