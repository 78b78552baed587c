"""Vectorized models, one per batch_format. INPUT (x DOUBLE, name STRING),
OUTPUT (y DOUBLE, shout STRING, n BIGINT): y = 2x, shout = upper(name), n = the batch size."""
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pyflink_ml_predict import PredictFunction


class PandasDouble(PredictFunction):
    batch_format = "pandas"

    def predict_batch(self, frame):
        return pd.DataFrame({"y": frame["x"] * 2, "shout": frame["name"].str.upper(),
                             "n": len(frame)})


class NumpyDouble(PredictFunction):
    batch_format = "numpy"

    def predict_batch(self, batch):
        return {"y": batch["x"] * 2,
                "shout": [None if s is None else s.upper() for s in batch["name"]],
                "n": np.full(len(batch["x"]), len(batch["x"]))}


class ArrowDouble(PredictFunction):
    batch_format = "pyarrow"

    def predict_batch(self, batch):
        return pa.table({"y": pc.multiply(batch.column("x"), 2),
                         "shout": pc.utf8_upper(batch.column("name")),
                         "n": pa.array([batch.num_rows] * batch.num_rows, pa.int64())})


class TwiceVectors(PredictFunction):
    """INPUT (v ARRAY<FLOAT>) OUTPUT (e ARRAY<FLOAT>): fixed-length vectors arrive as a 2-D array."""

    batch_format = "numpy"

    def predict_batch(self, batch):
        assert batch["v"].ndim == 2, batch["v"]
        return {"e": batch["v"] * 2}


class WrongLength(PredictFunction):
    batch_format = "numpy"

    def predict_batch(self, batch):
        return {"y": np.zeros(1), "shout": ["x"], "n": [1]}
