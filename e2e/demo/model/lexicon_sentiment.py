"""A small lexicon sentiment model: the words and their weights live in the model directory."""
import os
import re

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction

_WORD = re.compile(r"[a-z']+")


class LexiconSentiment(PredictFunction):
    """OUTPUT (label STRING, score FLOAT): positive when the mean word weight > threshold."""

    def open(self, context):
        self.threshold = float(self.properties.get("threshold", "0"))
        self.weights = {}
        with open(os.path.join(self.model_directory, "lexicon.tsv"), encoding="utf-8") as f:
            for line in f:
                word, weight = line.split("\t")
                self.weights[word] = float(weight)

    def predict(self, data):
        if data.review is None:
            return []  # no text, no prediction: the row is dropped
        words = _WORD.findall(data.review.lower())
        hits = [self.weights[w] for w in words if w in self.weights]
        score = sum(hits) / len(hits) if hits else 0.0
        return [Row("positive" if score > self.threshold else "negative", score)]
