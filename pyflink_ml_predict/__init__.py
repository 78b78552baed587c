"""Python models for Flink SQL's ML_PREDICT (provider ``generic-python``).

Subclass :class:`PredictFunction`, point ``CREATE MODEL ... WITH ('provider' =
'generic-python', 'model-directory-path' = ..., 'python-predict-class' = ...)`` at it, and run
``SELECT * FROM ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(cols))``.
"""
from .jar import jar_path
from .model_config import Column, FlinkType, ModelConfig
from .predict_function import PredictContext, PredictFunction

__version__ = "0.1.0"

__all__ = [
    "Column",
    "FlinkType",
    "ModelConfig",
    "PredictContext",
    "PredictFunction",
    "jar_path",
]
