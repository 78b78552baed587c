"""Small, deterministic models for the integration tests."""
import os

from pyflink.common import Row

from pyflink_ml_predict import PredictFunction


class Upper(PredictFunction):
    """label = upper-cased text + properties['suffix']; score = length of the text."""

    def open(self, context):
        super().open(context)
        self.suffix = self.properties.get("suffix", "")
        print("Upper.open: this print must not corrupt the worker protocol")

    def predict(self, data):
        print("predicting", data.text)
        return [Row(data.text.upper() + self.suffix, float(len(data.text)))]


class Repeat(PredictFunction):
    """Emits row n times (zero drops it), each with its index; output (i INT)."""

    def predict(self, data):
        return [Row(i) for i in range(data.n)]


class WhoAmI(PredictFunction):
    """Reports the worker's pid, the subtask and the property 'tag'; records the pid in a file."""

    def open(self, context):
        self.subtask = context.get_index_of_this_subtask()
        folder = self.properties.get("pid-dir")
        if folder:
            with open(os.path.join(folder, f"{os.getpid()}.pid"), "w") as f:
                f.write(str(os.getpid()))

    def predict(self, data):
        return [Row(os.getpid(), self.subtask, self.properties["a.tag"])]


class BatchSize(PredictFunction):
    """Vectorized: every row learns the size of the batch it arrived in."""

    def predict_batch(self, rows):
        return [[Row(len(rows))] for _ in rows]


class NamedFields(PredictFunction):
    """Returns Rows built with keyword arguments in an order unlike the OUTPUT columns."""

    def predict(self, data):
        return [Row(score=1.5, label=data.text)]


class BatchSizeColumns(PredictFunction):
    """The same, vectorized: numpy columns in, the batch's size out."""

    batch_format = "numpy"

    def predict_batch(self, batch):
        size = len(next(iter(batch.values())))
        return {"n": [size] * size}


class Twice(PredictFunction):
    """twice = 2 * id: a result each row can be checked against."""

    def predict(self, data):
        return [(2 * data.id,)]
