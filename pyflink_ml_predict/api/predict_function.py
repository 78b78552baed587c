"""The base class users subclass to serve a model through ML_PREDICT."""
import sys
from typing import Any, Dict, Iterable, List, Optional

from pyflink.common import Row
from pyflink.table.udf import FunctionContext, TableFunction

from ..conversion.batch_formats import predict_one
from ..conversion.output_rows import row_values
from ..sql_types import Column
from .model_config import ModelConfig
from .udtf import as_udtf

__all__ = ["PredictFunction"]


class PredictFunction(TableFunction):
    """A Python model for Flink's ``ML_PREDICT`` (provider ``generic-python``).

    Subclass it, load the model in :meth:`open`, and turn one input row into a list of output
    rows in :meth:`predict`. The provider calls :meth:`set_model_config` first, so
    ``model_directory``, ``properties``, ``input_schema`` and ``output_schema`` are set when
    ``open`` runs.

    Input rows are :class:`pyflink.common.Row` objects whose field names are the model's INPUT
    columns (``row.text`` or ``row[0]``); SQL values arrive as the Python types PyFlink uses
    (``str``, ``int``, ``float``, ``bool``, ``decimal.Decimal``, ``datetime.date``/``time``/
    ``datetime``, ``bytes``, ``list``, ``dict`` for MAP, ``Row`` for ROW) and NULL as ``None``.
    TIMESTAMP_LTZ values are timezone-aware UTC datetimes.

    Each output row is a ``Row``, tuple or list in OUTPUT column order, or a ``Row``/``dict``
    with the OUTPUT column names. Zero rows drop the input row; several repeat it, as a lateral
    table function does.

    Example::

        from pyflink.common import Row
        from pyflink_ml_predict import PredictFunction

        class Threshold(PredictFunction):
            def open(self, context):
                self.threshold = float(self.properties.get("threshold", "0.5"))

            def predict(self, data):
                score = len(data.text) / 10
                return [Row("long" if score > self.threshold else "short", score)]

    with ``CREATE MODEL m INPUT (text STRING) OUTPUT (label STRING, score FLOAT) WITH
    ('provider' = 'generic-python', 'model-directory-path' = '/models/m',
    'python-predict-class' = 'threshold.Threshold', 'properties.threshold' = '0.5')``.
    """

    #: What ``predict_batch`` receives: ``"rows"`` (a list of Row), ``"pandas"`` (a DataFrame),
    #: ``"numpy"`` (a dict of arrays) or ``"pyarrow"`` (a RecordBatch); see README "Batches".
    batch_format: str = "rows"

    # Class-level defaults, so subclasses that define __init__ need not call super().__init__().
    model_config_json: Optional[str] = None
    model_config: Optional[ModelConfig] = None

    def set_model_config(self, model_config_json: str) -> None:
        """Configures the function from the provider's JSON model config."""
        self.model_config = ModelConfig.from_json(model_config_json)
        self.model_config_json = model_config_json

    def _config(self) -> ModelConfig:
        if self.model_config is None:
            raise RuntimeError(
                f"{type(self).__name__}: model config not set; the generic-python provider sets"
                " it, or call set_model_config(json) yourself"
            )
        return self.model_config

    @property
    def model_directory(self) -> str:
        """Absolute path of the model directory (``model-directory-path``), or of the version
        served when it is versioned."""
        return self._config().model_directory

    @property
    def model_version(self) -> Optional[str]:
        """The version served, for a versioned model directory (``model-version``): then
        ``model_directory`` is that version's directory. None for an unversioned one."""
        return self._config().model_version

    @property
    def properties(self) -> Dict[str, str]:
        """The ``properties.*`` options with the prefix removed (``properties.a.b`` -> ``a.b``)."""
        return self._config().properties

    @property
    def input_schema(self) -> List[Column]:
        """The model's INPUT columns: ``name`` and Flink ``type`` (``type.to_data_type()``)."""
        return self._config().input_schema

    @property
    def output_schema(self) -> List[Column]:
        """The model's OUTPUT columns: ``name`` and Flink ``type``."""
        return self._config().output_schema

    def open(self, context: FunctionContext) -> None:
        """Loads the model. Called once per parallel instance, after the config is set."""
        self._config()

    def predict(self, data: Row) -> List[Any]:
        """Predicts for one input row; returns a list of output rows.

        A class with a columnar ``batch_format`` need not implement it: the row then goes
        through ``predict_batch`` as a batch of one.
        """
        if self.batch_format != "rows":
            return predict_one(self, data)
        raise NotImplementedError(f"{type(self).__name__} must implement predict(self, data)")

    def predict_batch(self, rows: Any) -> Any:
        """Predicts for a batch, in the class's ``batch_format``.

        With ``"rows"`` it gets a list of Row and returns one list of output rows per input
        row, in order; the default calls :meth:`predict` for each row. With ``"pandas"``,
        ``"numpy"`` or ``"pyarrow"`` it gets the batch as columns and returns exactly one
        output row per input row as columns: a DataFrame, a RecordBatch/Table, or a dict of
        OUTPUT column name to array-like.

        Example (numpy)::

            class Doubler(PredictFunction):
                batch_format = "numpy"

                def predict_batch(self, batch):          # {"x": array([...])}
                    return {"y": batch["x"] * 2}
        """
        if self.batch_format != "rows":
            raise NotImplementedError(
                f"{type(self).__name__} has batch_format {self.batch_format!r} and must"
                " implement predict_batch(self, batch)")
        return [self.predict(row) for row in rows]

    def close(self) -> None:
        """Releases the model. Called once when the job ends, fails or is cancelled."""

    def eval(self, *args: Any) -> Iterable[Any]:
        """Lets a configured instance run as a plain PyFlink ``udtf`` (see ``as_udtf``)."""
        row = Row(*args)
        row.set_field_names([c.name for c in self.input_schema])
        names = [c.name for c in self.output_schema]
        for output in self.predict(row):
            yield Row(*row_values(output, names))

    def as_udtf(self, name: Optional[str] = None):
        """This configured instance as a PyFlink ``udtf``, its result types from the OUTPUT
        columns, for ``join_lateral`` or ``LATERAL TABLE`` in PyFlink's own Python runtime.

        >>> from pyflink_ml_predict import load_predict_function
        >>> with load_predict_function("e2e/demo/model", "lexicon_sentiment.LexiconSentiment",
        ...                            "review STRING", "label STRING, score FLOAT") as model:
        ...     udtf = model.function.as_udtf()
        """
        return as_udtf(self, name)

    def __setstate__(self, state: Dict[str, Any]) -> None:
        # Unpickled in PyFlink's Python worker: make the model directory importable there too.
        self.__dict__.update(state)
        if self.model_config is not None and self.model_directory not in sys.path:
            sys.path.insert(0, self.model_directory)
