"""The trivial and MiniLM models counting the batches they see, for the worker-scope part of
the benchmark: at close() each worker appends "rows batches" to properties['count-file']."""
import os
import sys

from trivial import Trivial

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "embeddings", "model"))
from minilm import MiniLMEmbedding  # noqa: E402


class CountsBatches:
    rows = batches = 0

    def count(self, size):
        self.rows += size
        self.batches += 1

    def close(self):
        with open(self.properties["count-file"], "a") as f:
            f.write(f"{self.rows} {self.batches}\n")


class TrivialCounting(CountsBatches, Trivial):
    def predict_batch(self, rows):
        self.count(len(rows))
        return [self.predict(row) for row in rows]


class MiniLMCounting(CountsBatches, MiniLMEmbedding):
    def predict_batch(self, batch):
        self.count(len(batch["text"]))
        return super().predict_batch(batch)
