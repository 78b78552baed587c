"""The FLIP's example: a HuggingFace sentiment pipeline as a PredictFunction.

``model-directory-path`` is a HuggingFace model directory (config, tokenizer, weights) that
also holds this file; ``e2e/sentiment/build_model.py`` makes one and copies this file into it.

    CREATE MODEL sentiment
    INPUT (review STRING)
    OUTPUT (label STRING, score FLOAT)
    WITH ('provider' = 'generic-python',
          'model-directory-path' = '/path/to/sentiment-minilm',
          'python-predict-class' = 'hf_sentiment.HuggingFaceSentimentPredictFunction')

``label`` is the model's label (``positive`` or ``negative``), ``score`` its probability.
``properties.batch-size`` sets the pipeline's batch size (default 32) and
``properties.torch-threads`` torch's thread count (default: torch's own).
"""
import os
from typing import List

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class HuggingFaceSentimentPredictFunction(PredictFunction):
    """Hugging Face transformers-based sentiment analysis prediction function."""

    def open(self, context):
        """Loads the model directory into a ``transformers`` pipeline."""
        # Everything is on disk; never ask a model hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import pipeline

        threads = self.properties.get("torch-threads")
        if threads:
            import torch

            torch.set_num_threads(int(threads))
        self.batch_size = int(self.properties.get("batch-size", "32"))
        self.pipeline = pipeline("sentiment-analysis", model=self.model_directory)

    def predict(self, data: Row) -> List[Row]:
        """One review: ``[Row(label, score)]``."""
        text = data[0] if len(data) > 0 and data[0] is not None else ""
        result = self.pipeline(text, truncation=True)[0]
        return [Row(result["label"], result["score"])]

    def predict_batch(self, rows: List[Row]) -> List[List[Row]]:
        """A batch of reviews in one pipeline call, which runs the model on ``batch_size``
        reviews at a time; same results as ``predict`` per row."""
        texts = ["" if row[0] is None else row[0] for row in rows]
        results = self.pipeline(texts, batch_size=self.batch_size, truncation=True)
        return [[Row(r["label"], r["score"])] for r in results]
