"""A Python model object for the PyFlink Table API: register it, or predict on a Table, without
writing SQL text (PyFlink 2.3 can register models but has no ``Model.predict``)."""
import itertools
import weakref
from typing import Dict, Mapping, Optional, Sequence

from ..jar import add_jar_to_session
from ..sql_types import ColumnsSpec, parse_columns
from .evaluation import metrics_sql
from .in_flight import LOG, cap_for_tools, query_key, say_cap

__all__ = ["GenericPythonModel"]

_names = itertools.count()


class GenericPythonModel:
    """A ``generic-python`` model: the Python counterpart of ``CREATE MODEL``.

    ``model_directory`` is what ``model-directory-path`` takes: a path (a relative one is made
    absolute), a URI on a Flink file system or an archive (``.zip``, ``.tar.gz``).
    ``input_schema``/``output_schema`` take SQL text (``"text STRING"``), a dict or
    (name, type) pairs with SQL types or PyFlink DataTypes. ``options`` are further model
    options (``execution-mode``, ``batch-size``, ``batch-timeout``).

    Example::

        from pyflink.table import DataTypes, EnvironmentSettings, TableEnvironment
        from pyflink_ml_predict import GenericPythonModel

        t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
        reviews = t_env.from_elements([("I love this movie",)], ["review"])
        model = GenericPythonModel(
            model_directory="e2e/demo/model", predict_class="lexicon_sentiment.LexiconSentiment",
            input_schema=[("review", DataTypes.STRING())],
            output_schema="label STRING, score FLOAT", properties={"threshold": "0"})
        model.predict(t_env, reviews, ["review"]).execute().print()
    """

    def __init__(self, model_directory: str, predict_class: str, input_schema: ColumnsSpec,
                 output_schema: ColumnsSpec, properties: Optional[Mapping[str, str]] = None,
                 options: Optional[Mapping[str, str]] = None):
        import os
        import re

        # A relative path is made absolute here; a URI ('hdfs://...', 'file:///...') or an
        # archive is the provider's to resolve.
        model_directory = os.fspath(model_directory)
        is_uri = re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", model_directory)
        self.model_directory = model_directory if is_uri else os.path.abspath(model_directory)
        self.predict_class = predict_class
        self.input_schema = parse_columns(input_schema)
        self.output_schema = parse_columns(output_schema)
        self.properties: Dict[str, str] = {str(k): str(v) for k, v in (properties or {}).items()}
        self.options: Dict[str, str] = {str(k): str(v) for k, v in (options or {}).items()}
        self._registered = weakref.WeakKeyDictionary()  # TableEnvironment -> model name

    def descriptor(self):
        """The PyFlink ``ModelDescriptor`` (what ``CREATE MODEL ... WITH (...)`` says)."""
        from pyflink.java_gateway import get_gateway
        from pyflink.table import Schema
        from pyflink.table.model_descriptor import ModelDescriptor

        # The provider's identifier and option keys, as the jar defines them.
        provider = get_gateway().jvm.io.pyflinkml.predict.GenericPythonModelProviderFactory
        keys = get_gateway().jvm.io.pyflinkml.predict.GenericPythonModelOptions

        def schema(columns):
            builder = Schema.new_builder()
            for column in columns:
                builder.column(column.name, column.type.sql)
            return builder.build()

        builder = (ModelDescriptor.for_provider(provider.IDENTIFIER)
                   .input_schema(schema(self.input_schema))
                   .output_schema(schema(self.output_schema))
                   .option(keys.MODEL_DIRECTORY_PATH.key(), self.model_directory)
                   .option(keys.PYTHON_PREDICT_CLASS.key(), self.predict_class))
        for key, value in self.options.items():
            builder.option(key, value)
        for key, value in self.properties.items():
            builder.option(keys.PROPERTIES_PREFIX + key, value)
        return builder.build()

    def register(self, t_env, name: str) -> str:
        """Registers the model as a temporary model ``name`` (CREATE TEMPORARY MODEL), adding
        the provider jar to the session first where its Flink did not load it (``FLINK_HOME``)."""
        add_jar_to_session(t_env)
        t_env.create_temporary_model(name, self.descriptor())
        self._registered[t_env] = name
        return name

    def predict(self, t_env, table, columns: Sequence[str],
                config: Optional[Mapping[str, str]] = None):
        """``ML_PREDICT`` over ``table``: a Table with its columns plus the OUTPUT columns.

        ``columns`` are the table's columns fed to the model, in INPUT order; ``config`` is the
        ML_PREDICT MAP (``{"async": "false"}``, ``{"batch-size": "64"}``, ...). The model is
        registered under a generated name if :meth:`register` was not called for ``t_env``.

        When neither ``config`` nor the session sets ``max-concurrent-operations``, the query
        gets twice the model's ``batch-size`` (Flink's default cap of 10 rows in flight would
        keep batches at 5 to 10 rows), and the ``pyflink_ml_predict`` logger says so.
        """
        if len(columns) != len(self.input_schema):
            raise ValueError(
                f"the model takes {len(self.input_schema)} INPUT columns"
                f" ({', '.join(str(c) for c in self.input_schema)}), got {list(columns)}")
        available = table.get_schema().get_field_names()
        unknown = [c for c in columns if c not in available]
        if unknown:
            raise ValueError(f"the table has no columns {unknown}; it has {available}")
        name = self._registered.get(t_env) or self.register(
            t_env, f"__generic_python_model_{next(_names)}")
        view = f"__ml_predict_input_{next(_names)}"
        t_env.create_temporary_view(view, table)
        descriptor = ", ".join(f"`{c}`" for c in columns)
        query = f"SELECT * FROM ML_PREDICT(TABLE `{view}`, MODEL `{name}`, DESCRIPTOR({descriptor})"
        config = dict(config or {})
        cap = cap_for_tools(t_env, [name], config)
        if cap is not None:
            config[query_key()] = str(cap)
            LOG.info(say_cap(f"MAP['{query_key()}', '{cap}']", [name]))
        if config:
            pairs = ", ".join(f"'{_quote(k)}', '{_quote(v)}'" for k, v in config.items())
            query += f", MAP[{pairs}]"
        return t_env.sql_query(query + ")")

    def evaluate(self, t_env, table, label: str, features: Sequence[str],
                 task: Optional[str] = None,
                 config: Optional[Mapping[str, str]] = None) -> Dict[str, float]:
        """FLIP-525's ``ML_EVALUATE``: predicts ``table`` (``features`` in INPUT order, as
        :meth:`predict`) and returns the metrics of the predictions against the ``label``
        column, as a dict (``{"accuracy": 0.98, ..., "count": 143.0}``).

        ``task`` (``classification``, ``regression``, ``clustering``, ``embedding``,
        ``text_generation``) overrides the model's ``task`` option. Flink computes the metrics
        with the provider jar's ``ML_EVALUATE_METRICS`` aggregate (README "ML_EVALUATE").
        Raises ValueError when no row has both a label and a prediction.
        """
        available = table.get_schema().get_field_names()
        if label not in available:
            raise ValueError(f"the table has no label column {label!r}; it has {available}")
        predicted = self.predict(t_env, table, features, config)
        view = f"__ml_evaluate_input_{next(_names)}"
        t_env.create_temporary_view(view, predicted)
        query = metrics_sql(t_env, f"SELECT * FROM `{view}`", f"`{self._registered[t_env]}`",
                            f"`{_quote_identifier(label)}`", task)
        with t_env.execute_sql(query).collect() as rows:
            metrics = next(iter(rows))[0]
        if metrics is None:
            raise ValueError(f"no row of the table has both a label ({label}) and a prediction")
        return dict(metrics)

    def __repr__(self) -> str:
        return (f"GenericPythonModel({self.predict_class!r} in {self.model_directory!r},"
                f" INPUT ({', '.join(map(str, self.input_schema))}),"
                f" OUTPUT ({', '.join(map(str, self.output_schema))}))")


def _quote_identifier(name: str) -> str:
    return name.replace("`", "``")


def _quote(value) -> str:
    return str(value).replace("'", "''")
