"""Run a model directory's PredictFunction without Flink: for online serving and for testing a
class. Values take the same path as inside a job (Arrow batches through the same session), so a
model sees the same Python types here as in ML_PREDICT, and no JVM is started."""
from typing import Any, Dict, Iterable, List, Mapping, Optional

import pyarrow as pa
from pyflink.common import Row

from ..api import ModelConfig
from ..conversion import RowDecoder, RowEncoder, row_values, to_python_fix
from ..runtime import protocol
from ..runtime.session import ModelSession
from ..sql_types import ColumnsSpec, arrow_schema

__all__ = ["LocalPredictFunction", "PredictionError", "load_predict_function"]


class PredictionError(RuntimeError):
    """The model failed; the message is the one a Flink job would fail with."""


class LocalPredictFunction:
    """An opened PredictFunction, called directly. Use it as a context manager (or call
    :meth:`close`), as Flink calls ``close()`` when a job ends."""

    def __init__(self, config: ModelConfig):
        self.config = config
        self._input_schema = arrow_schema(config.input_schema)
        self._input_encoder = RowEncoder(config.input_schema, self._input_schema, side="input")
        self._output_names = [c.name for c in config.output_schema]
        self._output_fixes = [to_python_fix(c.type) for c in config.output_schema]
        self._output_schema = arrow_schema(config.output_schema)
        self._session = ModelSession()
        self._call(protocol.encode_init(config.to_json(), "0/1", self._input_schema,
                                        self._output_schema))

    @property
    def function(self):
        """The user's PredictFunction instance (opened)."""
        return self._session.function

    @property
    def model_version(self) -> Optional[str]:
        """The version serving, for a versioned model directory."""
        return self._session.version

    @property
    def metrics(self) -> Dict[str, Any]:
        """The metrics the class registered through ``context.get_metric_group()``, by dotted
        name (``"cache.hits"``): counters and meters give their count, gauges a fresh
        reading, distributions how many values they took."""
        return self._session.metrics.values()

    def _input_batch(self, rows: Iterable[Any]) -> pa.RecordBatch:
        names = [c.name for c in self.config.input_schema]
        return self._input_encoder.encode([row_values(row, names) for row in rows],
                                          lambda i: f"input row {i}")

    def input_rows(self, rows: Iterable[Any]) -> List[Row]:
        """The rows as ``predict`` receives them inside Flink (after the Arrow round trip)."""
        return RowDecoder(self.config.input_schema).decode(self._input_batch(rows))

    def predict_rows(self, rows: Iterable[Any]) -> List[List[Row]]:
        """Predicts for rows given as ``Row``, tuples/lists (INPUT order) or dicts (by name);
        returns one list of output ``Row`` (named by the OUTPUT columns) per input row."""
        rows = list(rows)
        if not rows:
            return []
        answer = protocol.parse_result(self._call(protocol.encode_batch(self._input_batch(rows))))
        counts = answer.counts
        outputs = protocol.read_arrow_rows(answer.rows, self._output_schema)
        columns = []
        for i, fix in enumerate(self._output_fixes):
            column = outputs.column(i).to_pylist()
            columns.append(column if fix is None else [fix(v) for v in column])
        flat = []
        for output_values in zip(*columns):
            row = Row(*output_values)
            row.set_field_names(self._output_names)
            flat.append(row)
        result, start = [], 0
        for count in counts:
            count = max(count, 0)  # -1: a row the error policy skipped
            result.append(flat[start:start + count])
            start += count
        return result

    def predict(self, row: Any) -> List[Row]:
        """Predicts for one row (see :meth:`predict_rows`)."""
        return self.predict_rows([row])[0]

    def predict_batch(self, frame) -> List[List[Row]]:
        """Predicts for a pandas DataFrame with the INPUT columns (by name)."""
        names = [c.name for c in self.config.input_schema]
        missing = [n for n in names if n not in frame.columns]
        if missing:
            raise PredictionError(f"{self.config.describe()}: the DataFrame lacks the INPUT"
                                  f" columns {missing}")
        records = frame[names].to_dict("records")
        return self.predict_rows(
            [{k: (None if _is_missing(v) else v) for k, v in r.items()} for r in records])

    def _call(self, message: bytes) -> bytes:
        response = self._session.handle(message)
        if response[0] == protocol.ERROR:
            raise PredictionError(response[1:].decode("utf-8"))
        return response

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> "LocalPredictFunction":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_missing(value: Any) -> bool:
    try:
        return value != value  # NaN/NaT from pandas stand for NULL
    except Exception:
        return False


def load_predict_function(model_directory: str, predict_class: str, input_schema: ColumnsSpec,
                          output_schema: ColumnsSpec,
                          properties: Optional[Mapping[str, str]] = None,
                          model_name: str = "local", model_version: Optional[str] = None,
                          model_update_interval_s: float = 60.0) -> LocalPredictFunction:
    """Loads and opens ``predict_class`` from ``model_directory`` without Flink.

    Schemas are SQL text (``"text STRING"``), a dict or (name, type) pairs with SQL types or
    PyFlink DataTypes; ``properties`` are what ``properties.*`` options would give.
    ``model_version`` (``"latest"`` or a number) serves a versioned model directory, as the
    ``model-version`` option does: with ``"latest"`` a newer version is picked up between two
    calls, at most every ``model_update_interval_s`` seconds.

    >>> import os, pyflink_ml_predict
    >>> demo = os.path.join("e2e", "demo", "model")
    >>> with pyflink_ml_predict.load_predict_function(
    ...         demo, "lexicon_sentiment.LexiconSentiment", "review STRING",
    ...         "label STRING, score FLOAT", {"threshold": "0"}) as model:
    ...     model.predict({"review": "I love this movie"})
    [Row(label='positive', score=2.0)]
    """
    runtime = {} if model_version is None else {"versions": {
        "version": str(model_version), "update_interval_ms": model_update_interval_s * 1000}}
    config = ModelConfig.create(model_directory, predict_class, input_schema, output_schema,
                                dict(properties or {}), model_name, runtime)
    return LocalPredictFunction(config)
