"""Python models for Flink SQL's ML_PREDICT (provider ``generic-python``).

Subclass :class:`PredictFunction`, point ``CREATE MODEL ... WITH ('provider' =
'generic-python', 'model-directory-path' = ..., 'python-predict-class' = ...)`` at it, and run
``SELECT * FROM ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(cols))``. The same class also runs
from the Table API (:class:`GenericPythonModel`), as a plain PyFlink UDTF
(:meth:`PredictFunction.as_udtf`) and without Flink (:func:`load_predict_function`).
"""
from .adapters.local import LocalPredictFunction, PredictionError, load_predict_function
from .adapters.table_api import GenericPythonModel
from .api import ModelConfig, PredictContext, PredictFunction, as_udtf
from .jar import add_jar_to_session, jar_path
from .sql_types import Column, FlinkType, parse_columns

__version__ = "0.1.0"

__all__ = [
    "Column",
    "FlinkType",
    "GenericPythonModel",
    "LocalPredictFunction",
    "ModelConfig",
    "PredictContext",
    "PredictFunction",
    "PredictionError",
    "add_jar_to_session",
    "as_udtf",
    "jar_path",
    "load_predict_function",
    "parse_columns",
]
